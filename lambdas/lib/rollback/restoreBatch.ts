import type { TargetItem } from '../../transforms/Transform';
import { claimBatch, completeBatch, failBatch, getBatch, LeaseKeeper, LeaseLostError, type SnapshotRef } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { keyString, mapWithConcurrency, readPreImages, readSnapshot, SnapshotIntegrityError, type SnapshotEntry } from '../worker';
import type { Target } from '../worker/targetKeys';
import { classifyEntry, sameItem, type ConflictReason } from './classifyEntry';
import { conflictOf, writeConflicts, type Conflict } from './conflicts';
import { ForwardBatchLeasedError } from './errors';
import { resolveOriginals } from './resolveOriginals';
import { ZERO_ROLLBACK_COUNTS, type RollbackCounts } from './RollbackCounts';
import type { RollbackManifestItem } from './rollbackManifest';
import { restoreItem } from './restoreItem';

/** Conditional restores in flight at once within one batch. */
const WRITE_CONCURRENCY = 16;
/** Times one entry is judged again after its conditional restore was refused. */
const REJUDGE_ROUNDS = 3;

export interface RollbackBatchContext {
  readonly runId: string;
  readonly target: Target;
  readonly leaseSeconds: number;
  /** Unique id of this attempt (e.g. the Lambda request id); the rollback record is leased in its name. */
  readonly owner: string;
}

export interface RestoreBatchOutcome {
  readonly batchId: string;
  readonly counts: RollbackCounts;
  /** True when the batch's rollback was already DONE and nothing was done now. */
  readonly alreadyDone: boolean;
  readonly attempt: number;
  readonly conflictsKey?: string;
}

type Settled =
  | { readonly kind: 'restored' | 'deleted' | 'alreadyRestored' | 'untouched' | 'handledByOtherBatch' }
  | { readonly kind: 'conflict'; readonly reason: ConflictReason; readonly now: TargetItem | null; readonly verifyMismatch?: boolean; readonly laterRunId?: string };

/**
 * Rolls back one batch of a run, safely under retries, duplicates and crashes: claim the batch's
 * rollback record with a lease → read the snapshot the ledger recorded (checked against its sha256)
 * → read the items as they are now → restore each item still as this batch left it (PutItem of the
 * pre-image, or DeleteItem of an item the run created, conditional on stamp and version) → re-read
 * the restored items and compare with the pre-images → record counts and the conflict list, only
 * while still holding the lease. Items changed since by live traffic are left alone and listed.
 * @throws ForwardBatchLeasedError while a worker of the run still holds the batch (retryable);
 *   SnapshotIntegrityError when the recorded snapshot is missing or corrupt.
 * @example
 *   const outcome = await restoreBatch(deps, { runId, target: spec.target, leaseSeconds: 60, owner: requestId }, manifestItem);
 */
export async function restoreBatch(deps: Deps, ctx: RollbackBatchContext, item: RollbackManifestItem): Promise<RestoreBatchOutcome> {
  const ref = await recordedSnapshot(deps, ctx.runId, item);
  const claim = await claimBatch<RollbackCounts>(deps, { runId: ctx.runId, batchId: item.batchId, owner: ctx.owner, leaseSeconds: ctx.leaseSeconds, kind: 'rollback' });
  if (claim.kind === 'done') {
    const { counts, attempt, conflictsKey } = claim.record;
    return { batchId: item.batchId, counts: counts ?? ZERO_ROLLBACK_COUNTS, alreadyDone: true, attempt, ...(conflictsKey ? { conflictsKey } : {}) };
  }
  const keeper = new LeaseKeeper(deps, claim.lease, ctx.leaseSeconds);
  try {
    return await restoreClaimed(deps, ctx, item.batchId, ref, keeper);
  } catch (error) {
    // Record the failure while we still hold the lease; a lost lease means another attempt owns it.
    if (!(error instanceof LeaseLostError)) await failBatch(deps, keeper.lease, error as Error).catch(() => undefined);
    throw error;
  }
}

/**
 * The snapshot the ledger recorded for the batch, which must be the one in the manifest; refuses
 * while a worker of the run still holds the batch (a forced rollback waits for it), unless
 * `checkLease` is false (a check that reads without writing).
 */
export async function recordedSnapshot(deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>, runId: string, item: RollbackManifestItem, checkLease = true): Promise<SnapshotRef> {
  const forward = await getBatch(deps, runId, item.batchId);
  const ref = forward?.snapshot;
  if (!ref || ref.key !== item.snapshotKey || ref.sha256 !== item.sha256 || ref.itemCount !== item.itemCount) {
    const detail = ref ? `the ledger records ${ref.key} with sha256 ${ref.sha256.slice(0, 12)}…` : 'the ledger records no snapshot for the batch';
    throw new SnapshotIntegrityError(runId, item.batchId, item.snapshotKey, 'not-recorded', detail);
  }
  if (checkLease && forward!.status === 'IN_PROGRESS' && (forward!.leaseExpiresAtMs ?? 0) >= deps.clock.nowMs()) {
    throw new ForwardBatchLeasedError(runId, item.batchId, forward!.leaseExpiresAtMs!);
  }
  return ref;
}

async function restoreClaimed(deps: Deps, ctx: RollbackBatchContext, batchId: string, ref: SnapshotRef, keeper: LeaseKeeper): Promise<RestoreBatchOutcome> {
  const where = { runId: ctx.runId, batchId };
  const entries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, where, ref);
  const originals = await resolveOriginals(deps, where, entries);
  const current = await readPreImages(deps.clients.ddb, ctx.target, entries.map((e) => e.key));

  await keeper.keep();
  const settled = await mapWithConcurrency(entries, WRITE_CONCURRENCY, async (entry, index) => {
    if (index % 100 === 0) await keeper.keep();
    return settleEntry(deps, ctx, where, entry, originals[index]!, current.get(keyString(entry.key)) ?? null);
  });

  // Verify: every restored item must now equal its pre-run state; one that does not was changed by a
  // live write racing the rollback, and is a conflict like any other.
  const restored = settled.flatMap((s, index) => (s.kind === 'restored' || s.kind === 'deleted' ? [index] : []));
  const after = await readPreImages(deps.clients.ddb, ctx.target, restored.map((index) => entries[index]!.key));
  for (const index of restored) {
    const now = after.get(keyString(entries[index]!.key)) ?? null;
    if (!sameItem(now, originals[index]!)) settled[index] = { kind: 'conflict', reason: 'changed-during-rollback', now, verifyMismatch: true };
  }

  const counts = tally(settled);
  const conflicts: Conflict[] = settled.flatMap((s, index) =>
    s.kind === 'conflict'
      ? [conflictOf({ batchId, key: entries[index]!.key, wrote: entries[index]!.intended, original: originals[index]!, now: s.now, reason: s.reason, ...(s.laterRunId ? { laterRunId: s.laterRunId } : {}) })]
      : [],
  );
  await keeper.keep();
  const conflictsKey = conflicts.length > 0 ? await writeConflicts(deps.clients.s3, deps.artifactsBucket, { ...where, attempt: keeper.lease.attempt }, conflicts) : undefined;
  await completeBatch(deps, keeper.lease, { counts, ...(conflictsKey ? { conflictsKey } : {}) });
  return { batchId, counts, alreadyDone: false, attempt: keeper.lease.attempt, ...(conflictsKey ? { conflictsKey } : {}) };
}

/** Judges one entry and restores it when it is still as this batch left it; a refused restore is judged again. */
async function settleEntry(
  deps: Deps,
  ctx: RollbackBatchContext,
  where: { runId: string; batchId: string },
  entry: SnapshotEntry,
  original: TargetItem | null,
  initial: TargetItem | null,
): Promise<Settled> {
  let current = initial;
  for (let round = 0; round < REJUDGE_ROUNDS; round++) {
    const action = classifyEntry({ entry, original, current }, where.runId, where.batchId);
    if (action.kind === 'conflict') {
      if (round === 0) return { kind: 'conflict', reason: action.reason, now: current, ...(action.laterRunId ? { laterRunId: action.laterRunId } : {}) };
      return { kind: 'conflict', reason: 'changed-during-rollback', now: current };
    }
    if (action.kind !== 'restore') return { kind: action.kind };
    const outcome = await restoreItem(deps.clients.ddb, ctx.target, entry.key, original, current!);
    if (outcome.kind !== 'refused') return { kind: outcome.kind };
    current = outcome.current;
  }
  return { kind: 'conflict', reason: 'changed-during-rollback', now: current };
}

function tally(settled: readonly Settled[]): RollbackCounts {
  const counts: Record<keyof RollbackCounts, number> = { ...ZERO_ROLLBACK_COUNTS, entries: settled.length };
  for (const s of settled) {
    if (s.kind === 'conflict') {
      counts.conflicts += 1;
      if (s.verifyMismatch) counts.verifiedMismatches += 1;
      if (s.laterRunId) counts.laterRunWrites += 1;
    } else {
      counts[s.kind] += 1;
    }
  }
  return counts;
}
