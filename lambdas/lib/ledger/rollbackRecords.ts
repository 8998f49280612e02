import type { Deps } from '../runtime/Deps';
import { appendAudit } from './audit';
import { RunNotRollbackableError, RunStatusChangedError, RunStillRunningError } from './errors';
import { moveRun, updateRunWhile } from './moveRun';
import { requireRun, type RunRecord } from './readRun';
import { requiresForce, runStatusesAllowing, type RunStatus } from './transitions';

const ROLLING_BACK: RunStatus = 'ROLLING_BACK';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface StartRollbackResult {
  readonly runId: string;
  /** True when the run was already ROLLING_BACK (an interrupted or failed rollback goes on). */
  readonly resumed: boolean;
  /** The status the run had when its rollback first started. */
  readonly rolledBackFrom: RunStatus;
  readonly rollbackStarts: number;
  readonly forced: boolean;
}

/** Attempts before giving up when the run's status keeps changing under us. */
const ROUNDS = 3;

/**
 * Refuses a run whose status does not allow a rollback (RUN_TRANSITIONS), with the same named errors
 * the move itself would raise, before anything is checked or written. Changes nothing.
 * @throws RunStillRunningError for a force-only move without force; RunNotRollbackableError otherwise (e.g. ROLLED_BACK).
 * @example
 *   assertRollbackAllowed(await requireRun(deps, runId), { force: false });
 */
export function assertRollbackAllowed(run: Pick<RunRecord, 'runId' | 'status'>, options: { force: boolean }): void {
  if (runStatusesAllowing(ROLLING_BACK, options).includes(run.status)) return;
  if (requiresForce(run.status, ROLLING_BACK)) throw new RunStillRunningError(run.runId);
  throw new RunNotRollbackableError(run.runId, run.status, runStatusesAllowing(ROLLING_BACK, { force: true }));
}

/**
 * Moves the run to ROLLING_BACK (RUN_TRANSITIONS): from SUCCEEDED, SUCCEEDED_WITH_FAILURES or
 * FAILED; from ROLLING_BACK to resume; from RUNNING only with `force` (the interlock). Enforced by a
 * condition on the status read, so a run whose status changed meanwhile is judged again.
 * @throws RunNotFoundError; RunStillRunningError for a RUNNING run without force; RunNotRollbackableError otherwise (e.g. ROLLED_BACK).
 * @example
 *   const { resumed } = await startRollback(deps, 'orders-fix-1', { force: false });
 */
export async function startRollback(deps: LedgerDeps, runId: string, options: { force: boolean }): Promise<StartRollbackResult> {
  for (let round = 1; ; round++) {
    const run = await requireRun(deps, runId);
    const resumed = run.status === ROLLING_BACK;
    const firstStart = resumed ? {} : { rolledBackFrom: run.status, rollbackStartedAt: new Date(deps.clock.nowMs()).toISOString(), rollbackForced: requiresForce(run.status, ROLLING_BACK) };
    try {
      const moved = await moveRun(deps, runId, { to: ROLLING_BACK, from: run.status, force: options.force, set: firstStart, add: { rollbackStarts: 1 }, remove: ['rollbackError'] });
      const result: StartRollbackResult = {
        runId,
        resumed,
        rolledBackFrom: moved.rolledBackFrom ?? run.status,
        rollbackStarts: moved.rollbackStarts ?? 1,
        forced: moved.rollbackForced === true,
      };
      await appendAudit(deps, {
        runId,
        type: resumed ? 'RollbackResumed' : 'RollbackStarted',
        detail: resumed ? { rollbackStarts: result.rollbackStarts } : { from: run.status, forced: result.forced },
      });
      return result;
    } catch (error) {
      if (!(error instanceof RunStatusChangedError) || round === ROUNDS) throw error;
    }
  }
}

/** ROLLING_BACK → ROLLED_BACK | ROLLED_BACK_WITH_CONFLICTS, keeping the rollback report on the run. */
export async function markRunRolledBack(
  deps: LedgerDeps,
  runId: string,
  status: Extract<RunStatus, 'ROLLED_BACK' | 'ROLLED_BACK_WITH_CONFLICTS'>,
  report: Record<string, unknown>,
  auditDetail: Record<string, unknown>,
): Promise<void> {
  await moveRun(deps, runId, { to: status, set: { rollback: report }, remove: ['rollbackError'] });
  await appendAudit(deps, { runId, type: 'RollbackSucceeded', detail: { status, ...auditDetail } });
}

/**
 * Records why a rollback execution failed. The run stays ROLLING_BACK, so starting the rollback again
 * resumes it; a run no longer ROLLING_BACK (another execution finished it) keeps its status. Audited either way.
 */
export async function recordRollbackFailure(deps: LedgerDeps, runId: string, error: { Error: string; Cause: string }): Promise<void> {
  // While the rollback can still finish, i.e. the statuses RUN_TRANSITIONS lets reach ROLLED_BACK.
  const rollingBack = runStatusesAllowing('ROLLED_BACK').filter((s): s is RunStatus => s !== null);
  await updateRunWhile(deps, runId, rollingBack, { set: { rollbackError: error } });
  await appendAudit(deps, { runId, type: 'RollbackFailed', detail: { ...error } });
}
