import type { Transform } from '../../../transforms/Transform';
import type { StageEvidence } from '../../evidence';
import type { BatchRecord } from '../../ledger';
import { BoundedSamples, sortKeyOf } from '../../validation/BoundedSamples';
import { transformId } from '../../../transforms/Transform';

type RulesSection = StageEvidence['rules'];

/**
 * The stage's rule results from its batch records: per rule the items checked (every item the
 * stage produced), the violations summed, and the samples with the smallest keys over all
 * batches (as checkRules keeps them), at most `sampleSize`. Any violation fails.
 *
 * @example
 *   summarizeRules(orderSummaryV2, records, 20).rules[0]; // { name: 'total-cents-exact', checked: 40, violations: 0, samples: [] , … }
 */
export function summarizeRules(transform: Pick<Transform, 'name' | 'version' | 'rules'>, records: readonly BatchRecord[], sampleSize: number): RulesSection {
  const items = records.reduce((sum, record) => sum + (record.counts?.produced ?? 0), 0);
  const rules = (transform.rules ?? []).map((rule) => {
    const samples = new BoundedSamples<RulesSection['rules'][number]['samples'][number]>(sampleSize);
    let violations = 0;
    for (const record of records) {
      violations += record.evidence?.ruleViolations[rule.name] ?? 0;
      for (const { rule: name, key, value, message } of record.evidence?.ruleSamples ?? []) {
        if (name === rule.name) samples.offer(sortKeyOf(key, message, value), { key: { ...key }, value, message });
      }
    }
    return { name: rule.name, description: rule.description, attribute: rule.attribute, checked: items, violations, samples: samples.values() };
  });
  const violations = rules.reduce((sum, rule) => sum + rule.violations, 0);
  return { transform: transformId(transform), items, violations, passed: violations === 0, rules };
}
