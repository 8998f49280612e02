import type { StageEvidence } from '../../evidence';

type Sections = Pick<StageEvidence, 'changeRatio' | 'determinism' | 'rules' | 'golden'> & {
  /** The stage's FAILED batches and whether they are within the spec's toleratedFailurePercent. */
  readonly failedBatches: { readonly batches: NonNullable<StageEvidence['failedBatches']>; readonly tolerated: boolean; readonly toleratedFailurePercent: number; readonly stageBatches: number };
};

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/**
 * One sentence per failed section, naming what failed, the values seen and what to do; empty when
 * the stage passed its gate.
 * @example
 *   failuresOf(sections); // ['the transform's rules found 3 violation(s): currency-iso-4217 3 (e.g. {"orderId":"o7"}: currency "usd" is not …)']
 */
export function failuresOf(sections: Sections): string[] {
  const failures: string[] = [];
  const { changeRatio, determinism, rules, golden, failedBatches } = sections;
  if (!failedBatches.tolerated) {
    const first = failedBatches.batches[0]!;
    failures.push(
      `${failedBatches.batches.length} of the stage's ${failedBatches.stageBatches} batch(es) failed, above toleratedFailurePercent ${failedBatches.toleratedFailurePercent} ` +
        `(${first.batchId}: ${first.error.slice(0, 300)}); fix that error and resume the run`,
    );
  }
  if (!changeRatio.passed && changeRatio.message !== undefined) failures.push(changeRatio.message);
  if (determinism.mismatches.length > 0) {
    const first = determinism.mismatches[0]!;
    failures.push(
      `the determinism re-check transformed ${determinism.checkedBatches.length} batch(es) again and ${determinism.mismatches.length} gave other items ` +
        `(${first.batchId}: recorded ${short(first.expected)}, now ${short(first.got)}); the transform depends on a clock, randomness or iteration order: make it pure`,
    );
  }
  if (determinism.unrecordedBatches > 0) {
    failures.push(`${determinism.unrecordedBatches} batch(es) of the stage carry no recorded evidence (processed by a worker without metering); re-run the stage with the current code`);
  }
  if (!rules.passed) {
    const broken = rules.rules.filter((rule) => rule.violations > 0);
    const example = broken[0]?.samples[0];
    failures.push(
      `the transform's rules found ${rules.violations} violation(s): ${broken.map((rule) => `${rule.name} ${rule.violations}`).join(', ')}` +
        `${example === undefined ? '' : ` (e.g. ${JSON.stringify(example.key)}: ${example.message})`}; fix the transform, the evidence lists samples`,
    );
  }
  if (golden !== undefined && !golden.passed) {
    const first = golden.mismatches[0];
    failures.push(
      `${golden.mismatched} golden item(s) of ${golden.uri} differ from what the stage produced` +
        `${first === undefined ? '' : ` (first: ${JSON.stringify(first.key)}, golden line ${first.line})`}; fix the transform, or the golden file if it is wrong`,
    );
  }
  return failures;
}
