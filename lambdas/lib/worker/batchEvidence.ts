import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TargetItem, Transform } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { GoldenDiff, MAX_DIFF_SUMMARY_CHARS } from '../evidence';
import type { BatchRuleSample } from '../ledger';
import type { ManifestItem } from '../plan';
import { boundedChanges } from '../rollback/diffItems';
import type { Spec } from '../spec';
import { checkRules, type RuleChecker } from '../validation';
import { parseRecords } from './parseRecords';
import { readBatchLines } from './readBatchLines';
import { recomputeItems, type Recomputed } from './recomputeItems';
import type { SnapshotEntry } from './SnapshotStore';
import { STAMP_ATTRIBUTES } from './stamps';

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
  return outputHashOfCanonical(items.map(({ item }) => canonicalJson(item)));
}

/**
 * {@link outputHashOf} from the items' canonical JSON texts, in key order: what the worker hashes,
 * reusing the texts it builds once per item (see canonicalItem) instead of canonicalising again.
 *
 * @example
 *   outputHashOfCanonical(items.map(({ item }) => canonicalItem(item).json)) === outputHashOf(items); // true
 */
export function outputHashOfCanonical(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) hash.update(`${text}\n`);
  return hash.digest('hex');
}

/**
 * Reads a batch's source range again and transforms it as the worker does (same parsing, same
 * rejections, same winner per key), returning the hash of the items produced: what the worker
 * recorded as `outputHash`, if the transform is deterministic.
 *
 * @example
 *   const again = await recomputeOutputHash(s3, manifestItem, runId, spec, getTransform(spec.transform));
 *   again === batchRecord.evidence.outputHash; // true for a pure transform
 */
export async function recomputeOutputHash(s3: S3Client, item: ManifestItem, runId: string, spec: Spec, transform: Transform): Promise<string> {
  const { lines } = await readBatchLines(s3, item, runId, spec);
  const { items } = recomputeItems(transform, spec.target, parseRecords(lines, transform).valid);
  return outputHashOf(items);
}

const shortened = (value: unknown): unknown => boundedChanges([{ path: 'value', kind: 'changed', before: undefined, after: value }], 1)[0]!.after;

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
        // Values are cut as the evidence's diff samples are: the batch record stays far below DynamoDB's item limit.
        ruleSamples: rules.flatMap((rule) => rule.samples.map((sample) => ({ rule: rule.name, ...sample, value: shortened(sample.value) }))),
      };
    },
  };
}

/**
 * Adds a batch's snapshot entries to a stage's diff as ValidateStage diffs them: pre-image →
 * intended image (a key the batch left alone diffs as its pre-image, unchanged); a key neither in
 * the target nor written is skipped. `diff` must ignore the stamp attributes (see {@link stageDiff}).
 * @example
 *   addSnapshotEntries(diff, await readSnapshot(s3, bucket, where, record.snapshot!));
 */
export function addSnapshotEntries(diff: GoldenDiff, entries: Iterable<SnapshotEntry>): void {
  for (const { key, preImage, intended } of entries) {
    const after = intended ?? preImage;
    if (after !== null) diff.add(key, preImage ?? undefined, after);
  }
}

/**
 * An empty diff of a staged run's items: `validation.sampleSize` samples per attribute, stamps left out.
 * @example
 *   const diff = stageDiff(spec);
 */
export function stageDiff(spec: Spec): GoldenDiff {
  return new GoldenDiff({ maxSamples: spec.validation?.sampleSize ?? 20, ignoredAttributes: STAMP_ATTRIBUTES });
}

/**
 * The batch's part of its stage's diff, from the entries of its snapshot (taken now, or the one an
 * earlier attempt recorded), as JSON text for its batch record; undefined when longer than
 * {@link MAX_DIFF_SUMMARY_CHARS} (ValidateStage then reads the snapshot).
 * @example
 *   const diffSummary = batchDiffSummary(recorded.values(), spec); // '{"version":1,…}'
 */
export function batchDiffSummary(entries: Iterable<SnapshotEntry>, spec: Spec): string | undefined {
  const diff = stageDiff(spec);
  addSnapshotEntries(diff, entries);
  const text = JSON.stringify(diff.summary());
  return text.length <= MAX_DIFF_SUMMARY_CHARS ? text : undefined;
}
