import type { Deps } from '../../runtime/Deps';
import { cutText } from '../../text/cutText';
import { appendAudit } from '../audit';
import { RunStatusError } from '../errors';
import { moveRun } from '../moveRun';
import { requireRun, type RunRecord } from '../readRun';
import { CONTROL_REASON_CHARS } from './pauseRecords';
import { dropTaskToken } from './taskTokenRecords';
import { withoutTaskToken, type ControlTrigger, type RunControl } from './RunControl';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface AbortRequest {
  readonly by: string;
  readonly reason: string;
  /** Roll back what the run wrote once it is ABORTED. */
  readonly rollback: boolean;
  /** @default 'operator' (also for a pause that timed out: the operator did not answer) */
  readonly trigger?: ControlTrigger;
}

/** What requestAbort did: the run, and the token of a PAUSED run's waiting task for the caller to release (SendTaskSuccess). */
export interface AbortResult {
  readonly run: RunRecord;
  readonly taskToken?: string;
}

/**
 * RUNNING | PAUSING | PAUSED → ABORTING: shuts the run's gate for good, with who, why and whether to
 * roll back as `control`, audited RunAbortRequested. A PAUSED run's task token is returned for the
 * caller to SendTaskSuccess `{ decision: 'abort' | 'rollback' }`; it stays on the run until the
 * caller's releaseTaskToken. A run already ABORTING is left as it is (the first abort's who and why
 * stay), and a token it still holds (the send failed) is returned again.
 * @throws RunNotFoundError; RunNotRunningError when the run is in another status (e.g. SUCCEEDED)
 * @example
 *   const { taskToken } = await requestAbort(deps, runId, { by: 'local:ana', reason: 'wrong transform', rollback: true });
 */
export async function requestAbort(deps: LedgerDeps, runId: string, request: AbortRequest): Promise<AbortResult> {
  const before = await requireRun(deps, runId);
  const control: RunControl = {
    action: 'abort',
    trigger: request.trigger ?? 'operator',
    by: request.by,
    reason: cutText(request.reason, CONTROL_REASON_CHARS),
    at: new Date(deps.clock.nowMs()).toISOString(),
    rollback: request.rollback,
  };
  try {
    // Narrowed to the status read, so the token returned is the one of the pause this abort ends.
    // A PAUSED run keeps its token until the caller released the task (releaseTaskToken).
    const token = before.status === 'PAUSED' ? before.control?.taskToken : undefined;
    const run = await moveRun(deps, runId, { to: 'ABORTING', from: before.status, set: { control: token === undefined ? control : { ...control, taskToken: token } } });
    await appendAudit(deps, { runId, type: 'RunAbortRequested', actor: control.by, detail: { ...withoutTaskToken(control), from: before.status } });
    return { run, ...(token === undefined ? {} : { taskToken: token }) };
  } catch (refused) {
    if (refused instanceof RunStatusError && refused.status === 'ABORTING') return aborting(await requireRun(deps, runId));
    throw refused;
  }
}

/** An abort asked again: a token still held (its SendTaskSuccess failed) is returned to be sent again. */
const aborting = (run: RunRecord): AbortResult => (run.control?.taskToken === undefined ? { run } : { run, taskToken: run.control.taskToken });

/**
 * ABORTING → ABORTED once the run's map drained: the run ends, leaving what was written (rollback
 * remains possible); `control` keeps who aborted it and why. Audited RunAborted. Already ABORTED: a no-op.
 * @throws RunNotFoundError; RunNotRunningError when the run is not ABORTING
 * @example
 *   await markRunAborted(deps, runId);
 */
export async function markRunAborted(deps: LedgerDeps, runId: string): Promise<RunRecord> {
  try {
    const run = await dropTaskToken(deps, await moveRun(deps, runId, { to: 'ABORTED' }));
    await appendAudit(deps, { runId, type: 'RunAborted', actor: run.control?.by, detail: run.control ? withoutTaskToken(run.control) : {} });
    return run;
  } catch (refused) {
    if (refused instanceof RunStatusError && refused.status === 'ABORTED') return requireRun(deps, runId);
    throw refused;
  }
}
