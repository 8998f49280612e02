import { transformId, type OutputRule, type TargetItem, type Transform } from '../../transforms/Transform';
import { BoundedSamples, sortKeyOf } from './BoundedSamples';
import { DuplicateRuleNameError, InvalidRuleCheckOptionError } from './errors';

/** The spec's `validation.sampleSize` default: samples kept per rule. */
export const DEFAULT_RULE_SAMPLES = 20;
/** The most samples per rule one may ask for (the evidence page shows them all). */
export const MAX_RULE_SAMPLES = 1000;
/** Longer violation messages (a rule's thrown error, say) are cut here, so a sample stays small. */
export const MAX_SAMPLE_MESSAGE_CHARS = 500;

export interface RuleCheckOptions {
  /** The target table's key attributes; a sample names its item by them. */
  readonly keyAttributes: readonly string[];
  /** Violation samples kept per rule, 0–{@link MAX_RULE_SAMPLES}. @default DEFAULT_RULE_SAMPLES */
  readonly maxSamples?: number;
}

/** One violating item: its key, the value of the rule's attribute, and what is wrong. */
export interface RuleViolationSample {
  readonly key: Readonly<Record<string, unknown>>;
  readonly value: unknown;
  readonly message: string;
}

/** What one rule found over every item checked. */
export interface RuleResult {
  readonly name: string;
  readonly description: string;
  readonly attribute: string;
  readonly checked: number;
  readonly violations: number;
  /** The violations with the smallest keys (then messages), at most `maxSamples`. */
  readonly samples: readonly RuleViolationSample[];
}

/** What every rule of a transform found; `passed` is false on any violation (the gate fails). */
export interface RulesCheckResult {
  readonly transform: string;
  readonly items: number;
  /** Items that broke at least one rule. */
  readonly itemsViolating: number;
  readonly violations: number;
  readonly passed: boolean;
  readonly rules: readonly RuleResult[];
}

/** An accumulator: feed it every produced item, then read the result (as often as wanted). */
export interface RuleChecker<In, Out extends TargetItem> {
  /** Checks one produced item against every rule; `source` is the record it was produced from. */
  add(item: Out, source: In): void;
  result(): RulesCheckResult;
}

/**
 * Checks a transform's declared rules on its produced items, in bounded memory: per rule a count
 * checked, a count of violations and at most `maxSamples` samples, however many items are added.
 * A rule that throws counts as a violation carrying the error's message, never as a crash. The
 * result does not depend on the order items are added in.
 *
 * @throws InvalidRuleCheckOptionError when keyAttributes or maxSamples is unusable.
 * @throws DuplicateRuleNameError when two rules share a name.
 * @example
 *   const checker = checkRules(orderSummaryV2, { keyAttributes: ['orderId'] });
 *   for (const order of orders) for (const item of orderSummaryV2.apply(order)) checker.add(item, order);
 *   checker.result().passed; // true
 */
export function checkRules<In, Out extends TargetItem>(
  transform: Pick<Transform<In, Out>, 'name' | 'version' | 'rules'>,
  options: RuleCheckOptions,
): RuleChecker<In, Out> {
  const id = transformId(transform);
  const { keyAttributes, maxSamples } = checkOptions(options, id);
  const tallies = (transform.rules ?? []).map((rule) => ({ rule, checked: 0, violations: 0, samples: new BoundedSamples<RuleViolationSample>(maxSamples) }));
  const names = new Set<string>();
  for (const { rule } of tallies) {
    if (names.has(rule.name)) throw new DuplicateRuleNameError(rule.name, id);
    names.add(rule.name);
  }
  let items = 0;
  let itemsViolating = 0;
  return {
    add(item, source) {
      items += 1;
      let violated = false;
      for (const tally of tallies) {
        tally.checked += 1;
        const message = violationOf(tally.rule, item, source);
        if (message === undefined) continue;
        violated = true;
        tally.violations += 1;
        const key = pick(item, keyAttributes);
        const value = attributeOf(item, tally.rule.attribute);
        tally.samples.offer(sortKeyOf(key, message, value), { key: structuredClone(key), value: structuredClone(value), message });
      }
      if (violated) itemsViolating += 1;
    },
    result() {
      const rules = tallies.map(({ rule, checked, violations, samples }) => ({
        name: rule.name, description: rule.description, attribute: rule.attribute, checked, violations, samples: samples.values(),
      }));
      const violations = rules.reduce((sum, rule) => sum + rule.violations, 0);
      return { transform: id, items, itemsViolating, violations, passed: violations === 0, rules };
    },
  };
}

/** The rule's message for this item, undefined when it holds; a throw is a violation, cut to size. */
function violationOf<In, Out extends TargetItem>(rule: OutputRule<In, Out>, item: Out, source: In): string | undefined {
  let message: string | undefined;
  try {
    const outcome: unknown = rule.check(item, source);
    if (outcome === undefined) return undefined;
    message = typeof outcome === 'string' && outcome !== '' ? outcome : `rule ${rule.name} failed without saying why (returned ${String(outcome)})`;
  } catch (error) {
    message = error instanceof Error ? `rule ${rule.name} threw ${error.name}: ${error.message}` : `rule ${rule.name} threw ${String(error)}`;
  }
  return message.length <= MAX_SAMPLE_MESSAGE_CHARS ? message : `${message.slice(0, MAX_SAMPLE_MESSAGE_CHARS - 1)}…`;
}

function attributeOf(item: unknown, attribute: string): unknown {
  return item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[attribute] : undefined;
}

function pick(item: unknown, attributes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(attributes.map((attribute) => [attribute, attributeOf(item, attribute)]));
}

function checkOptions(options: RuleCheckOptions, id: string): { keyAttributes: readonly string[]; maxSamples: number } {
  const { keyAttributes, maxSamples = DEFAULT_RULE_SAMPLES } = options;
  if (!Array.isArray(keyAttributes) || keyAttributes.length === 0 || !keyAttributes.every((a) => typeof a === 'string' && a !== '')) {
    throw new InvalidRuleCheckOptionError('keyAttributes', keyAttributes, 'a non-empty list of attribute names', id);
  }
  if (!Number.isInteger(maxSamples) || maxSamples < 0 || maxSamples > MAX_RULE_SAMPLES) {
    throw new InvalidRuleCheckOptionError('maxSamples', maxSamples, `a whole number from 0 to ${MAX_RULE_SAMPLES}`, id);
  }
  return { keyAttributes, maxSamples };
}
