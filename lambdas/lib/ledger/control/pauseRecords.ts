import { readBreaker } from '../../breaker/BreakerRecord';
import { closeBreakerIfOkFor } from '../../breaker/closeBreaker';
import { BreakerOpenError } from '../../breaker/errors';
import type { Deps } from '../../runtime/Deps';
import { cutText } from '../../text/cutText';
import { appendAudit } from '../audit';
import { RunNotPausedError, RunStatusError } from '../errors';
import { moveRun, updateRunWhile } from '../moveRun';
import { requireRun, type RunRecord } from '../readRun';
import { isStatusIn, type RunStatus } from '../transitions';
import { withoutTaskToken, type ControlTrigger, type RunControl } from './RunControl';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** As much of a reason as the run record keeps. */
export const CONTROL_REASON_CHARS = 2_000;
const PAUSE_STATUSES = ['PAUSING', 'PAUSED'] as const satisfies readonly RunStatus[];

export interface PauseRequest {
  readonly by: string;
  readonly reason: string;
  readonly trigger: ControlTrigger;
}

/**
 * RUNNING → PAUSING: shuts the run's gate (no batch starts writing; batches in flight finish), with
 * who, why and the trigger as `control`, audited RunPauseRequested. A run already PAUSING or PAUSED
 * is left as it is (the first pause's who and why stay).
 * @throws RunNotFoundError; RunNotRunningError when the run is in another status (e.g. ABORTING, FAILED)
 * @example
 *   await requestPause(deps, 'orders-fix-1', { by: 'local:ana', reason: 'orders service deploy', trigger: 'operator' });
 */
export async function requestPause(deps: LedgerDeps, runId: string, request: PauseRequest): Promise<RunRecord> {
  const control: RunControl = { action: 'pause', trigger: request.trigger, by: request.by, reason: cutText(request.reason, CONTROL_REASON_CHARS), at: now(deps) };
  try {
    const paused = await moveRun(deps, runId, { to: 'PAUSING', set: { control } });
    await appendAudit(deps, { runId, type: 'RunPauseRequested', actor: control.by, detail: withoutTaskToken(control) });
    return paused;
  } catch (refused) {
    if (refused instanceof RunStatusError && isStatusIn(refused.status as RunStatus, PAUSE_STATUSES)) return requireRun(deps, runId);
    throw refused;
  }
}

/**
 * PAUSING → PAUSED once the run's map drained: stores the task token the workflow now waits on
 * (WaitForOperator), audited RunPaused (without the token). A retried call on a PAUSED run replaces
 * the token (the waiting task's is the one that counts) and audits nothing.
 * @throws RunNotFoundError; RunNotRunningError when the run is neither PAUSING nor PAUSED
 * @example
 *   await markRunPaused(deps, runId, { taskToken });
 */
export async function markRunPaused(deps: LedgerDeps, runId: string, paused: { taskToken: string }): Promise<RunRecord> {
  const run = await requireRun(deps, runId);
  const control: RunControl = { ...(run.control ?? { action: 'pause', trigger: 'operator', by: 'unknown (paused without requestPause)', reason: '', at: now(deps) }), taskToken: paused.taskToken };
  if (run.status === 'PAUSED') {
    const replaced = await updateRunWhile(deps, runId, ['PAUSED'], { set: { control } });
    if (replaced) return replaced;
  }
  const moved = await moveRun(deps, runId, { to: 'PAUSED', from: 'PAUSING', set: { control } });
  await appendAudit(deps, { runId, type: 'RunPaused', actor: control.by, detail: withoutTaskToken(control) });
  return moved;
}

/** What requestResume did: the run, and the token of a PAUSED run's waiting task for the caller to release (SendTaskSuccess). */
export interface ResumeResult {
  readonly run: RunRecord;
  readonly taskToken?: string;
}

/**
 * PAUSING | PAUSED → RUNNING, an operator's resume: clears `control`, audited RunResumed with who and
 * why. Refused while the breaker is OPEN (the gate would shut again at once), unless auto-close is
 * configured and its alarm has been OK long enough, which closes it first. A PAUSING run's map goes
 * on; a PAUSED run's token is returned for the caller to SendTaskSuccess `{ decision: 'resume' }`,
 * and stays on the run until the caller's releaseTaskToken: a RUNNING run still holding it (the send
 * failed) answers a retried resume with it again.
 * @throws BreakerOpenError; RunNotPausedError when the run is not PAUSING or PAUSED (an ended run
 *   resumes with a new execution instead); RunStatusChangedError when it moved meanwhile
 * @example
 *   const { taskToken } = await requestResume(deps, runId, { by: 'local:ana', reason: 'deploy done' });
 */
export async function requestResume(deps: LedgerDeps, runId: string, request: { by: string; reason?: string }): Promise<ResumeResult> {
  let breaker = await readBreaker(deps);
  if (breaker.state === 'OPEN' && breaker.autoCloseAfterSeconds !== undefined) breaker = (await closeBreakerIfOkFor(deps, breaker.autoCloseAfterSeconds)).breaker;
  if (breaker.state === 'OPEN') throw new BreakerOpenError(runId, breaker.openedBy, breaker.reason, breaker.openedAt);
  const run = await requireRun(deps, runId);
  // A resume whose SendTaskSuccess failed: the run is RUNNING and still holds the token; send it again.
  if (run.status === 'RUNNING' && run.control?.taskToken !== undefined) return { run, taskToken: run.control.taskToken };
  if (!isStatusIn(run.status, PAUSE_STATUSES)) throw new RunNotPausedError(runId, run.status);
  // A PAUSED run keeps its token until the caller released the task (releaseTaskToken).
  const keep = run.status === 'PAUSED' && run.control?.taskToken !== undefined;
  const resumed = await moveRun(deps, runId, { to: 'RUNNING', from: run.status, operatorResume: true, ...(keep ? {} : { remove: ['control'] }) });
  const reason = cutText(request.reason ?? '', CONTROL_REASON_CHARS);
  await appendAudit(deps, { runId, type: 'RunResumed', actor: request.by, detail: { from: run.status, reason, ...(run.control ? { paused: withoutTaskToken(run.control) } : {}) } });
  const taskToken = run.status === 'PAUSED' ? run.control?.taskToken : undefined;
  return { run: resumed, ...(taskToken === undefined ? {} : { taskToken }) };
}

const now = (deps: LedgerDeps): string => new Date(deps.clock.nowMs()).toISOString();
