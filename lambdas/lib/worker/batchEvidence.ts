import { createHash } from 'node:crypto';
import type { TargetItem, Transform } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import type { BatchRuleSample } from '../ledger';
import type { Spec } from '../spec';
import { checkRules, type RuleChecker } from '../validation';
import type { Recomputed } from './recomputeItems';

/** Violation samples a batch record keeps per rule (the stage's evidence keeps the smallest keys of all batches). */
export const BATCH_RULE_SAMPLES = 5;

/**
 * The hash of a batch's produced items before stamping: sha256 over each item's canonical JSON
 * and a newline, in key order (as recomputeItems sorts them). Two transforms of the same records
 * give the same hash exactly when they produce the same items, whatever the attribute order.
 *
 * @example
 *   outputHashOf(recomputeItems(transform, spec.target, parsed.valid).items); // 'e3b0c4…' (hex)
 */
export function outputHashOf(items: readonly Recomputed[]): string {
  const hash = createHash('sha256');
  for (const { item } of items) hash.update(`${canonicalJson(item)}\n`);
  return hash.digest('hex');
}

/** Rule results of one batch as its record keeps them. */
export interface BatchRuleTally {
  readonly ruleViolations: Readonly<Record<string, number>>;
  readonly ruleSamples: readonly BatchRuleSample[];
}

/**
 * Checks the transform's rules on every item a batch produces, keeping per rule the violation count
 * and at most {@link BATCH_RULE_SAMPLES} samples (fewer when the spec's sampleSize is smaller).
 *
 * @example
 *   const rules = batchRuleChecker(transform, spec);
 *   recomputeItems(transform, spec.target, valid, (item, source) => rules.add(item, source));
 *   rules.tally(); // { ruleViolations: { 'total-cents-exact': 0, … }, ruleSamples: [] }
 */
export function batchRuleChecker(transform: Transform, spec: Spec): { add(item: TargetItem, source: unknown): void; tally(): BatchRuleTally } {
  const keyAttributes = [spec.target.partitionKey, ...(spec.target.sortKey ? [spec.target.sortKey] : [])];
  const maxSamples = Math.min(BATCH_RULE_SAMPLES, spec.validation?.sampleSize ?? BATCH_RULE_SAMPLES);
  const checker: RuleChecker<unknown, TargetItem> = checkRules(transform, { keyAttributes, maxSamples });
  return {
    add: (item, source) => checker.add(item, source),
    tally() {
      const { rules } = checker.result();
      return {
        ruleViolations: Object.fromEntries(rules.map((rule) => [rule.name, rule.violations])),
        ruleSamples: rules.flatMap((rule) => rule.samples.map((sample) => ({ rule: rule.name, ...sample }))),
      };
    },
  };
}
