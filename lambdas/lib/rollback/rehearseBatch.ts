import type { Deps } from '../runtime/Deps';
import { keyOf, keyString, readPreImages, readSnapshot, SnapshotIntegrityError, type SnapshotEntry, type SnapshotProblem } from '../worker';
import type { Target } from '../worker/targetKeys';
import { classifyEntry, type ConflictReason } from './classifyEntry';
import { conflictOf } from './conflicts';
import { boundedChanges, type AttributeChange } from './diffItems';
import { boundDetail } from './boundDetail';
import { ForwardBatchLeasedError, SnapshotChainError } from './errors';
import { resolveOriginals } from './resolveOriginals';
import { recordedSnapshot } from './restoreBatch';
import { ZERO_ROLLBACK_COUNTS, type RollbackCounts } from './RollbackCounts';
import type { RollbackManifestItem } from './rollbackManifest';

/** Problems and conflicts a rehearsal reports per batch at most (so a worker's result stays small). */
export const REHEARSAL_SAMPLE_LIMIT = 5;
/** Attribute changes a rehearsal conflict lists at most (the rollback's conflict list has them all). */
export const REHEARSAL_CHANGES_LIMIT = 8;

/** Something that would make the rollback of a batch fail or be wrong. */
export interface RehearsalProblem {
  readonly batchId: string;
  readonly problem: SnapshotProblem | 'chain-broken' | 'batch-in-progress' | 'preimage-key-mismatch' | 'newer-run-wrote-items' | 'run-status';
  /** What is named: the snapshot object's key, the item's key as JSON, (newer-run-wrote-items) the newer run's id, or (run-status) the refusal's error name. */
  readonly key: string;
  readonly detail: string;
}

/** A conflict a rehearsal found, classified as the rollback would: its key and what differs (the apply run also lists both items whole). */
export interface RehearsalConflict {
  readonly batchId: string;
  readonly key: Record<string, unknown>;
  readonly reason: ConflictReason;
  readonly laterRunId?: string;
  /** The first {@link REHEARSAL_CHANGES_LIMIT} attributes that differ from what the run wrote to what is there now. */
  readonly changes: readonly AttributeChange[];
}

export interface RehearseBatchOutcome {
  readonly batchId: string;
  /** What would happen: `restored`/`deleted` are the items the rollback would restore or delete now. */
  readonly counts: RollbackCounts;
  readonly problemCount: number;
  /** Of `problemCount`: 1 when a worker of the run still holds the batch (a rollback waits for it; no snapshot problem). */
  readonly leasedBatches: number;
  readonly problems: readonly RehearsalProblem[];
  readonly conflicts: readonly RehearsalConflict[];
  /** Items of this batch that later runs wrote over (they carry that run's stamp), by run id. */
  readonly laterRuns: Readonly<Record<string, number>>;
}

/** Characters a problem's detail takes at most (cut at a word, never mid-parenthesis). */
const DETAIL_LIMIT = 300;

/**
 * Rehearses the rollback of one batch without writing anything: checks that the snapshot the ledger
 * recorded exists, matches its recorded sha256 and parses (and so do the snapshots its pre-images
 * chain to), that each pre-image carries its entry's key, and judges each entry against the item
 * as it is now, exactly as the rollback would (classifyEntry): how many would be restored, deleted,
 * or are conflicts (with what differs), and which later runs wrote over this batch's items.
 * Snapshot problems are reported by key, not thrown; a batch a worker still holds is checked but not judged
 * (unless `deps.leaseHoldersGone`: the rollback takes such leases over at start).
 * @example
 *   const outcome = await rehearseBatch(deps, { runId, target: spec.target }, manifestItem);
 */
export async function rehearseBatch(deps: Deps, ctx: { runId: string; target: Target }, item: RollbackManifestItem): Promise<RehearseBatchOutcome> {
  const where = { runId: ctx.runId, batchId: item.batchId };
  const failed = (problem: RehearsalProblem['problem'], key: string, detail: string): RehearseBatchOutcome => ({
    batchId: item.batchId,
    counts: { ...ZERO_ROLLBACK_COUNTS, entries: item.itemCount },
    problemCount: 1,
    leasedBatches: problem === 'batch-in-progress' ? 1 : 0,
    problems: [{ batchId: item.batchId, problem, key, detail: boundDetail(detail, DETAIL_LIMIT) }],
    conflicts: [],
    laterRuns: {},
  });
  let entries: SnapshotEntry[];
  let originals;
  try {
    const ref = await recordedSnapshot(deps, ctx.runId, item, false);
    entries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, where, ref);
    originals = await resolveOriginals(deps, where, entries);
    await recordedSnapshot(deps, ctx.runId, item, deps.leaseHoldersGone !== true);
  } catch (error) {
    if (error instanceof SnapshotIntegrityError) return failed(error.problem, error.key, error.detail);
    if (error instanceof SnapshotChainError) return failed('chain-broken', item.snapshotKey, error.message);
    if (error instanceof ForwardBatchLeasedError) return failed('batch-in-progress', item.snapshotKey, error.message);
    throw error;
  }

  const current = await readPreImages(deps.clients.ddb, ctx.target, entries.map((e) => e.key));
  const counts: Record<keyof RollbackCounts, number> = { ...ZERO_ROLLBACK_COUNTS, entries: entries.length };
  const problems: RehearsalProblem[] = [];
  let problemCount = 0;
  const conflicts: RehearsalConflict[] = [];
  const laterRuns: Record<string, number> = {};
  entries.forEach((entry, index) => {
    const original = originals[index]!;
    const key = keyString(entry.key);
    if (original !== null && keyString(keyOf(original, ctx.target)) !== key) {
      problemCount += 1;
      if (problems.length < REHEARSAL_SAMPLE_LIMIT) problems.push({ batchId: item.batchId, problem: 'preimage-key-mismatch', key, detail: boundDetail(`the pre-image's key is ${keyString(keyOf(original, ctx.target))}`, DETAIL_LIMIT) });
    }
    const now = current.get(key) ?? null;
    const action = classifyEntry({ entry, original, current: now }, ctx.runId, item.batchId);
    if (action.kind === 'restore') counts[original === null ? 'deleted' : 'restored'] += 1;
    else if (action.kind === 'conflict') {
      counts.conflicts += 1;
      if (action.laterRunId !== undefined) {
        counts.laterRunWrites += 1;
        laterRuns[action.laterRunId] = (laterRuns[action.laterRunId] ?? 0) + 1;
      }
      if (conflicts.length < REHEARSAL_SAMPLE_LIMIT) {
        const { wrote: _wrote, now: _now, changes, ...conflict } = conflictOf({ batchId: item.batchId, key: entry.key, wrote: entry.intended, original, now, reason: action.reason, laterRunId: action.laterRunId });
        conflicts.push({ ...conflict, changes: boundedChanges(changes, REHEARSAL_CHANGES_LIMIT) });
      }
    } else counts[action.kind] += 1;
  });
  return { batchId: item.batchId, counts, problemCount, leasedBatches: 0, problems, conflicts, laterRuns };
}
