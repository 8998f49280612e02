import type { StageEvidence } from '../../evidence';

type Sections = Pick<StageEvidence, 'changeRatio' | 'determinism' | 'rules' | 'golden'> & {
  /** The stage's FAILED batches (any fails the gate) and how many batches the stage has. */
  readonly failedBatches: { readonly batches: NonNullable<StageEvidence['failedBatches']>; readonly stageBatches: number };
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
  // Even a failure the map tolerated: the batch may have written items before it failed, and its rule violations are recorded only at completion.
  if (failedBatches.batches.length > 0) {
    const named = failedBatches.batches.slice(0, 5).map((batch) => `${batch.batchId}: ${batch.error.slice(0, 300)}`);
    const more = failedBatches.batches.length > named.length ? `, and ${failedBatches.batches.length - named.length} more` : '';
    failures.push(
      `${failedBatches.batches.length} of the stage's ${failedBatches.stageBatches} batch(es) FAILED (${named.join('; ')}${more}): a failed batch may have written items no check saw, ` +
        'so a stage passes only with all its batches DONE; fix that error and resume the run: resuming retries the failed batch(es) and checks the gate again',
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
