import { markRunAborted, requireRun, requestAbort, type RunRecord } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { RunAlreadyResumedError, RunNotGatableError } from './errors';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** MarkAborted's output: whether the abort rolls the run back, and the Cause of the execution's end. */
export interface AbortedRun {
  readonly rollback: boolean;
  readonly by: string;
  readonly reason: string;
  readonly cause: string;
}

/** Who aborts a run whose pause timed out. */
export const PAUSE_TIMEOUT_ACTOR = 'pause-timeout';

/**
 * MarkAborted: the map drained, ABORTING → ABORTED (an ABORTED run, a retried call, is returned as
 * it is), leaving what was written; `rollback` when the abort asked for one.
 * @throws RunNotGatableError for a run neither ABORTING nor ABORTED.
 * @example
 *   await markAborted(deps, { runId }); // { rollback: false, by: 'local:ana', reason: 'wrong spec', cause: 'Run ... was aborted by local:ana: wrong spec' }
 */
export async function markAborted(deps: LedgerDeps, request: { runId: string }): Promise<AbortedRun> {
  const { runId } = request;
  const before = await requireRun(deps, runId);
  let run: RunRecord;
  if (before.status === 'ABORTING') run = await markRunAborted(deps, runId);
  else if (before.status === 'ABORTED') run = before;
  else throw new RunNotGatableError(runId, before.status, 'mark it aborted');
  const by = run.control?.by ?? 'unknown';
  const reason = run.control?.reason ?? '';
  const rollback = run.control?.rollback === true;
  return { rollback, by, reason, cause: `Run ${runId} was aborted by ${by}: ${reason}; ${rollback ? 'what it wrote is rolled back' : 'what it wrote is left (backfill rollback to undo it)'}` };
}

/**
 * AbortAfterTimeout: no operator answered a PAUSED run within pauseTimeoutSeconds, so it is
 * aborted (by `pause-timeout`, without rollback); a run already ABORTING or ABORTED is left as it is.
 * @throws RunAlreadyResumedError when an operator resumed it as the wait timed out; RunNotGatableError otherwise.
 * @example
 *   await abortAfterTimeout(deps, { runId, pauseTimeoutSeconds: 86400 });
 */
export async function abortAfterTimeout(deps: LedgerDeps, request: { runId: string; pauseTimeoutSeconds: number }): Promise<void> {
  const { runId, pauseTimeoutSeconds } = request;
  const run = await requireRun(deps, runId);
  if (run.status === 'ABORTING' || run.status === 'ABORTED') return;
  if (run.status === 'RUNNING') throw new RunAlreadyResumedError(runId);
  if (run.status !== 'PAUSED' && run.status !== 'PAUSING') throw new RunNotGatableError(runId, run.status, 'abort it after its pause timed out');
  const paused = run.control ? ` (paused by ${run.control.by}: ${run.control.reason})` : '';
  await requestAbort(deps, runId, { by: PAUSE_TIMEOUT_ACTOR, reason: `no operator resumed or aborted it within pauseTimeoutSeconds ${pauseTimeoutSeconds}${paused}`, rollback: false });
}
