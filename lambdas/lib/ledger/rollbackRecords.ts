import type { Deps } from '../runtime/Deps';
import { UNKNOWN_REQUESTER, UNKNOWN_STOPPER, SERVICE_ACTOR } from './actors';
import { appendAudit } from './audit';
import { RunNotRollbackableError, RunStatusChangedError, RunStillRunningError } from './errors';
import { moveRun, updateRunWhile } from './moveRun';
import { requireRun, type RunRecord } from './readRun';
import { requiresForce, ROLLBACK_ACTIVE_STATUSES, runStatusesAllowing, type RunStatus } from './transitions';

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

/** Who starts a rollback, why, and in which execution (BeginRollback's input). */
export interface RollbackStartOptions {
  /** Allows rolling back a run still marked RUNNING (the interlock). */
  readonly force: boolean;
  /** The rollback execution; recorded so only its end (recordRollbackExecutionEnded) is noted on the run. @default - none recorded */
  readonly executionArn?: string;
  /** Who asks for it (the rollback input's `requestedBy`). @default UNKNOWN_REQUESTER */
  readonly actor?: string;
  readonly reason?: string;
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
export async function startRollback(deps: LedgerDeps, runId: string, options: RollbackStartOptions): Promise<StartRollbackResult> {
  const actor = options.actor ?? UNKNOWN_REQUESTER;
  const execution = options.executionArn ? { set: { rollbackExecutionArn: options.executionArn }, remove: [] } : { set: {}, remove: ['rollbackExecutionArn'] };
  for (let round = 1; ; round++) {
    const run = await requireRun(deps, runId);
    const resumed = run.status === ROLLING_BACK;
    const firstStart = resumed ? {} : { rolledBackFrom: run.status, rollbackStartedAt: new Date(deps.clock.nowMs()).toISOString(), rollbackForced: requiresForce(run.status, ROLLING_BACK) };
    try {
      const moved = await moveRun(deps, runId, {
        to: ROLLING_BACK,
        from: run.status,
        force: options.force,
        set: { ...firstStart, ...execution.set, rollbackRequestedBy: actor },
        add: { rollbackStarts: 1 },
        remove: ['rollbackError', ...execution.remove],
      });
      const result: StartRollbackResult = {
        runId,
        resumed,
        rolledBackFrom: moved.rolledBackFrom ?? run.status,
        rollbackStarts: moved.rollbackStarts ?? 1,
        forced: moved.rollbackForced === true,
      };
      const reason = options.reason ?? '';
      await appendAudit(deps, {
        runId,
        type: resumed ? 'RollbackResumed' : 'RollbackStarted',
        actor,
        detail: resumed ? { rollbackStarts: result.rollbackStarts, reason } : { from: run.status, forced: result.forced, reason },
      });
      return result;
    } catch (error) {
      if (!(error instanceof RunStatusChangedError) || round === ROUNDS) throw error;
    }
  }
}

/** ROLLING_BACK → ROLLED_BACK | ROLLED_BACK_WITH_CONFLICTS | REJECTED_ROLLED_BACK, keeping the rollback report on the run. */
export async function markRunRolledBack(
  deps: LedgerDeps,
  runId: string,
  status: Extract<RunStatus, 'ROLLED_BACK' | 'ROLLED_BACK_WITH_CONFLICTS' | 'REJECTED_ROLLED_BACK'>,
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

/** The audit event each ending of a rollback execution appends. */
const ROLLBACK_ENDINGS = { ABORTED: 'RollbackStopped', TIMED_OUT: 'RollbackTimedOut', FAILED: 'RollbackExecutionFailed' } as const;

/**
 * Notes on a run being rolled back that its rollback execution ended without the workflow ending it
 * (stopped, timed out, or failed outside MarkRollbackFailed): records the rollbackError and audits
 * who stopped it. The run stays ROLLING_BACK, so starting the rollback again resumes it. Conditional
 * on the run being ROLLING_BACK in this very execution (its `rollbackExecutionArn`); a failure
 * MarkRollbackFailed already recorded is left as it is.
 * @returns whether it noted anything.
 * @example
 *   await recordRollbackExecutionEnded(deps, { runId, executionArn, status: 'ABORTED', actor: 'local:ana', reason: 'wrong run' });
 */
export async function recordRollbackExecutionEnded(
  deps: LedgerDeps,
  ended: { runId: string; executionArn: string; status: keyof typeof ROLLBACK_ENDINGS; error?: string; cause?: string; actor?: string; reason?: string },
): Promise<boolean> {
  const { runId, executionArn, status } = ended;
  const actor = ended.actor ?? (status === 'ABORTED' ? UNKNOWN_STOPPER : SERVICE_ACTOR);
  const rollbackError = {
    Error: ended.error ?? (status === 'ABORTED' ? 'ExecutionAborted' : status === 'TIMED_OUT' ? 'States.Timeout' : 'States.Runtime'),
    Cause: (ended.cause ?? '').slice(0, 8_000),
  };
  const noted = await updateRunWhile(deps, runId, ROLLBACK_ACTIVE_STATUSES, {
    set: { rollbackError },
    requireEqual: { rollbackExecutionArn: executionArn },
    requireAbsent: status === 'FAILED' ? ['rollbackError'] : [],
  });
  if (!noted) return false;
  await appendAudit(deps, { runId, type: ROLLBACK_ENDINGS[status], actor, detail: { executionArn, ...(status === 'ABORTED' ? { reason: ended.reason ?? '' } : rollbackError) } });
  return true;
}
