import { appendAudit, requireRun, ROLLED_BACK_STATUSES, startRollback, type RunStatus } from '../ledger';
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
      /** Whether this start resumes an interrupted or failed rollback. */
      readonly resumed: boolean;
      readonly manifest: RollbackManifestRef;
      readonly target: Spec['target'];
      readonly leaseSeconds: number;
      readonly maxConcurrency: number;
      readonly batchesPerWorker: number;
    };

/**
 * The rollback state machine's first step: validates the input, loads and checks the run, and in
 * `apply` mode moves it to ROLLING_BACK (refusing a RUNNING run without force: the interlock), then
 * writes the rollback manifest (the batches that recorded a snapshot). A run already rolled back is
 * a no-op that returns its recorded report. A rehearsal changes no status.
 * @throws InvalidRollbackInputError, RunNotFoundError, RunStillRunningError, RunStatusError — nothing is changed.
 * @example
 *   const loaded = await loadRollback(deps, { runId: 'orders-fix-1' });
 */
export async function loadRollback(deps: Deps, rawInput: unknown): Promise<LoadRollbackResult> {
  const { runId, mode, force } = parseRollbackInput(rawInput);
  const run = await requireRun(deps, runId);
  if ((ROLLED_BACK_STATUSES as readonly RunStatus[]).includes(run.status) && run.rollback) {
    return { runId, mode, alreadyRolledBack: true, report: { ...(run.rollback as unknown as RollbackReport), alreadyRolledBack: true } };
  }
  const started = mode === 'apply' ? await startRollback(deps, runId, { force }) : undefined;
  const manifest = await writeRollbackManifest(deps, runId);
  if (mode === 'apply') {
    await appendAudit(deps, { runId, type: 'RollbackPlanned', detail: { manifestKey: manifest.key, batches: manifest.batchCount, entries: manifest.entryCount } });
  }
  return {
    runId,
    mode,
    alreadyRolledBack: false,
    force,
    resumed: started?.resumed ?? false,
    manifest,
    target: run.spec.target,
    leaseSeconds: run.spec.leaseSeconds,
    maxConcurrency: run.spec.maxConcurrency,
    batchesPerWorker: run.spec.batchesPerWorker,
  };
}
