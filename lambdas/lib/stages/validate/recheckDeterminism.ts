import type { Transform } from '../../../transforms/Transform';
import type { StageEvidence } from '../../evidence';
import type { BatchRecord } from '../../ledger';
import type { ManifestItem } from '../../plan';
import type { Deps } from '../../runtime/Deps';
import type { Spec } from '../../spec';
import { mapWithConcurrency, recomputeOutputHash } from '../../worker';

/**
 * Batches of a wave transformed again: its first and its last (all of a canary's are). A wave
 * runs the code and the kind of records its canary proved; one or two re-checks catch a transform
 * that turned non-deterministic on other data, for a fraction of what re-reading more would cost.
 */
export const WAVE_RECHECK_BATCHES = 2;
/** Batches re-read at once. */
const RECHECK_CONCURRENCY = 4;

/** Which rule picked the re-checked batches, as the evidence says it. */
export type RecheckRule = NonNullable<StageEvidence['determinism']['selection']>['rule'];

/**
 * Which of a stage's batches the re-check transforms again: every one of a canary; of a wave, at
 * most {@link WAVE_RECHECK_BATCHES}: its first and its last (the same batches every time, so a
 * resumed run checks what the first attempt checked).
 * @example
 *   recheckSelection(10, 'wave'); // [0, 9]
 */
export function recheckSelection(batchCount: number, kind: 'canary' | 'wave'): number[] {
  if (kind === 'canary' || batchCount <= WAVE_RECHECK_BATCHES) return Array.from({ length: batchCount }, (_, i) => i);
  return [0, batchCount - 1];
}

/**
 * The determinism re-check: the selected batches' records are read and transformed again here, in
 * another invocation than the worker's, and hashed as the worker hashed them; a hash that differs
 * from the recorded one means the transform read a clock, randomness or iteration order.
 *
 * @example
 *   const section = await recheckDeterminism(deps, { runId, spec, transform, kind: 'canary' }, items, records);
 *   section.passed; // false when any re-transformed batch hashes differently
 */
export async function recheckDeterminism(
  deps: Pick<Deps, 'clients'>,
  stage: { readonly runId: string; readonly spec: Spec; readonly transform: Transform; readonly kind: 'canary' | 'wave' },
  items: readonly ManifestItem[],
  records: readonly BatchRecord[],
): Promise<StageEvidence['determinism']> {
  const recorded = items.flatMap((item, i) => {
    const outputHash = records[i]?.evidence?.outputHash;
    return outputHash === undefined ? [] : [{ item, outputHash }];
  });
  const selected = recheckSelection(recorded.length, stage.kind).map((i) => recorded[i]!);
  const results = await mapWithConcurrency(selected, RECHECK_CONCURRENCY, async ({ item, outputHash }) => ({
    batchId: item.batchId,
    expected: outputHash,
    got: await recomputeOutputHash(deps.clients.s3, item, stage.runId, stage.spec, stage.transform),
  }));
  const mismatches = results.filter((r) => r.expected !== r.got);
  const unrecordedBatches = items.length - recorded.length;
  const rule: RecheckRule = stage.kind === 'canary' ? 'every-batch' : 'first-and-last';
  return {
    checkedBatches: selected.map((s) => s.item.batchId),
    selection: { rule, of: recorded.length },
    unrecordedBatches,
    mismatches,
    passed: mismatches.length === 0 && unrecordedBatches === 0,
  };
}
