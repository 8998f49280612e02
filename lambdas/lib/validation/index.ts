export {
  checkRules, DEFAULT_RULE_SAMPLES, MAX_RULE_SAMPLES, MAX_SAMPLE_MESSAGE_CHARS,
  type RuleCheckOptions, type RuleChecker, type RuleResult, type RuleViolationSample, type RulesCheckResult,
} from './checkRules';
export { ValidationError, InvalidRuleCheckOptionError, DuplicateRuleNameError } from './errors';
