import type { BatchRecord } from '../ledger';
import { cutText } from '../text/cutText';

/** How many failed batches a run's error (or report) names one by one; the rest are counted. */
export const FAILED_BATCHES_NAMED = 5;
/** Each named batch's error is cut to this many characters (the ledger keeps up to 2,000). */
export const BATCH_ERROR_CHARS = 500;
/** What to do about failed batches, whatever their errors (each error says what to do about itself). */
export const FAILED_BATCHES_ADVICE =
  "Each batch's error says what to do. Then start the run again with the same spec to resume it (DONE batches are skipped, failed ones retried), or start a fixed spec as a new run";

/** One batch that did not complete, as a line of the run's error; undefined for a DONE batch. */
function describeBatch(batch: BatchRecord, nowMs: number): string | undefined {
  if (batch.status === 'FAILED') return `${batch.batchId}: ${cutText(batch.error ?? 'failed without a recorded error', BATCH_ERROR_CHARS)}`;
  if (batch.status !== 'IN_PROGRESS') return undefined;
  // No error recorded: its worker died, timed out, or is still running; its lease says until when.
  const expires = batch.leaseExpiresAtMs;
  const lease =
    expires === undefined
      ? 'no lease recorded'
      : `leased to attempt ${batch.attempt} until ${new Date(expires).toISOString()}${expires > nowMs ? ` (${Math.ceil((expires - nowMs) / 1000)} s from now)` : ' (expired)'}`;
  return `${batch.batchId}: IN_PROGRESS with no error recorded (${lease}): its worker timed out, crashed or is still running; see its logs`;
}

/**
 * One line per batch that did not complete, in batchId order: a FAILED batch with its recorded
 * error (name and message, cut), an IN_PROGRESS one with its lease, and each id in `missing` (planned
 * but without a ledger record).
 * @example
 *   failedBatchLines(await listBatches(deps, runId), { nowMs: deps.clock.nowMs() });
 *   // ['b0000002: SourceChangedError: Batch b0000002: source object …']
 */
export function failedBatchLines(batches: readonly BatchRecord[], options: { nowMs: number; missing?: readonly string[] }): string[] {
  const lines = [
    ...batches.map((batch) => [batch.batchId, describeBatch(batch, options.nowMs)] as const),
    ...(options.missing ?? []).map((id) => [id, `${id}: no ledger record (never processed: its child failed before claiming it, or never started)`] as const),
  ];
  return lines
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, line]) => line);
}

/**
 * The first {@link FAILED_BATCHES_NAMED} lines, indented, then how many more: bounded whatever the
 * number of lines.
 */
export function listFirstFailures(lines: readonly string[]): string {
  const more = lines.length - FAILED_BATCHES_NAMED;
  return [
    ...lines.slice(0, FAILED_BATCHES_NAMED).map((line) => `  ${line}`),
    ...(more > 0 ? [`  and ${more} more (each batch's error is on its ledger record)`] : []),
  ].join('\n');
}

/**
 * The text that names a run's failed batches: how many, then the first {@link FAILED_BATCHES_NAMED}
 * in batchId order with each one's error name and message, then how many more; undefined when none
 * failed. Bounded whatever the number of batches or the length of their errors.
 * @example
 *   describeFailedBatches(await listBatches(deps, runId), { planned: 12, nowMs: Date.now() });
 *   // '2 of 12 planned batches failed:\n  b0000000: TargetSchemaMismatchError: …\n  b0000001: …'
 */
export function describeFailedBatches(batches: readonly BatchRecord[], options: { planned?: number; nowMs: number }): string | undefined {
  const lines = failedBatchLines(batches, { nowMs: options.nowMs });
  if (lines.length === 0) return undefined;
  const of = options.planned === undefined ? '' : ` of ${options.planned} planned`;
  return `${lines.length}${of} batches failed:\n${listFirstFailures(lines)}\n${FAILED_BATCHES_ADVICE}`;
}
