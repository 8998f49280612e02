import { assertRollbackAllowed, requireRun, ROLLED_BACK_STATUSES, type RunStatus } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { parseRollbackInput, type RollbackMode } from './RollbackInputSchema';
import { writeRollbackManifest, type RollbackManifestRef } from './rollbackManifest';
import type { RollbackReport } from './reports';

/** What LoadRollback returns into the state: small, whatever the run's size. */
export type LoadRollbackResult =
  | { readonly runId: string; readonly mode: RollbackMode; readonly alreadyRolledBack: true; readonly report: RollbackReport }
  | {
      readonly runId: string;
      readonly mode: RollbackMode;
      readonly alreadyRolledBack: false;
      readonly force: boolean;
      readonly keepNewerRunWrites: boolean;
      /** Who asked for the rollback and why (null when the input does not say): BeginRollback audits them. */
      readonly requestedBy: string | null;
      readonly reason: string | null;
      /** Whether this start resumes an interrupted or failed rollback. */
      readonly resumed: boolean;
      readonly manifest: RollbackManifestRef;
      readonly target: Spec['target'];
      readonly leaseSeconds: number;
      readonly maxConcurrency: number;
      readonly batchesPerWorker: number;
    };

/**
 * The rollback state machine's first step: validates the input, loads the run and, in `apply`
 * mode, checks that its status allows a rollback (refusing a RUNNING run without force: the
 * interlock), then writes the rollback manifest (the batches that recorded a snapshot). It changes
 * no status: the run moves to ROLLING_BACK only once every batch was checked (beginRollback).
 * A run already rolled back is a no-op that returns its recorded report.
 * @throws InvalidRollbackInputError, RunNotFoundError, RunStillRunningError, RunStatusError — nothing is changed.
 * @example
 *   const loaded = await loadRollback(deps, { runId: 'orders-fix-1' });
 */
export async function loadRollback(deps: Deps, rawInput: unknown): Promise<LoadRollbackResult> {
  const { runId, mode, force, keepNewerRunWrites, requestedBy, reason } = parseRollbackInput(rawInput);
  const run = await requireRun(deps, runId);
  if ((ROLLED_BACK_STATUSES as readonly RunStatus[]).includes(run.status) && run.rollback) {
    return { runId, mode, alreadyRolledBack: true, report: { ...(run.rollback as unknown as RollbackReport), alreadyRolledBack: true } };
  }
  if (mode === 'apply') assertRollbackAllowed(run, { force });
  const manifest = await writeRollbackManifest(deps, runId);
  return {
    runId,
    mode,
    alreadyRolledBack: false,
    force,
    keepNewerRunWrites,
    requestedBy: requestedBy ?? null,
    reason: reason ?? null,
    resumed: run.status === 'ROLLING_BACK',
    manifest,
    target: run.spec.target,
    leaseSeconds: run.spec.leaseSeconds,
    maxConcurrency: run.spec.maxConcurrency,
    batchesPerWorker: run.spec.batchesPerWorker,
  };
}
