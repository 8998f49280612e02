import type { Deps } from '../runtime/Deps';
import { cutText } from '../text/cutText';
import { SERVICE_ACTOR, UNKNOWN_STOPPER } from './actors';
import { appendAudit } from './audit';
import { dropTaskToken } from './control/taskTokenRecords';
import { RunStatusChangedError } from './errors';
import { updateRunWhile } from './moveRun';
import { getRun } from './readRun';
import { ACTIVE_STATUSES, GATED_STATUSES, isStatusIn, runStatusesAllowing, type RunStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** How Step Functions says an execution ended without the workflow's own states ending it. */
export type EndedExecutionStatus = 'ABORTED' | 'TIMED_OUT' | 'FAILED';

export interface ExecutionEnded {
  readonly runId: string;
  /** The execution that ended; only the run's current one (its record's `executionArn`) moves it. */
  readonly executionArn: string;
  readonly status: EndedExecutionStatus;
  /** The execution's error and cause (StopExecution's, or the failure's). */
  readonly error?: string;
  readonly cause?: string;
  /** Who stopped it. @default - unknown (a stop), Step Functions (a timeout or failure) */
  readonly actor?: string;
  /** Why it was stopped. */
  readonly reason?: string;
}

export type MarkExecutionEndedResult =
  | { readonly outcome: 'marked'; readonly runId: string; readonly status: 'STOPPED' | 'TIMED_OUT' | 'FAILED' }
  | {
      readonly outcome: 'unchanged';
      readonly runId: string;
      /** No such run; the run is not active (already FAILED by MarkRunFailed, SUCCEEDED, ...); the run belongs to another (newer) execution. */
      readonly why: 'run-not-found' | 'run-not-active' | 'another-execution';
      readonly status?: RunStatus;
    };

/** What each ending moves the run to, and the audit event it appends. */
const ENDINGS = {
  ABORTED: { to: 'STOPPED', auditType: 'RunStopped' },
  TIMED_OUT: { to: 'TIMED_OUT', auditType: 'RunTimedOut' },
  FAILED: { to: 'FAILED', auditType: 'RunExecutionFailed' },
} as const satisfies Record<EndedExecutionStatus, { to: RunStatus; auditType: string }>;

/** As much of a cause as the run record keeps (as MarkRunFailed keeps). */
const CAUSE_CHARS = 8_000;
/** Attempts when the run's status changes between the conditional write and the read that explains it. */
const ROUNDS = 3;

/**
 * Records on the run that its execution ended without the workflow ending it: stopped
 * (StopExecution: STOPPED, with who, why and when), timed out (TIMED_OUT) or failed outside
 * MarkRunFailed (FAILED, with the execution's error and cause). Conditional in DynamoDB on the run
 * being active (ACTIVE_STATUSES, or GATED_STATUSES where the table allows the move) and on its recorded `executionArn` being this execution's, so an
 * event of an older execution of a resumed run, or of a run MarkRunFailed or Finalize already
 * ended, changes nothing. The run can then resume (same spec) or roll back without force.
 * Called by the execution-status-change handler and by `backfill stop`.
 * @returns whether it marked the run, and if not, why not.
 * @example
 *   await markExecutionEnded(deps, { runId: 'orders-fix-1', executionArn, status: 'ABORTED', actor: 'local:ana', reason: 'wrong spec' });
 *   // { outcome: 'marked', runId: 'orders-fix-1', status: 'STOPPED' }
 */
export async function markExecutionEnded(deps: LedgerDeps, ended: ExecutionEnded): Promise<MarkExecutionEndedResult> {
  const { runId, executionArn } = ended;
  const { to, auditType } = ENDINGS[ended.status];
  // An active run, or one pausing, paused or aborting (its workflow still runs), as the table's rows allow.
  const from = runStatusesAllowing(to).filter((s): s is RunStatus => s !== null && (isStatusIn(s, ACTIVE_STATUSES) || isStatusIn(s, GATED_STATUSES)));
  const { set, actor, detail } = recordOf(ended, new Date(deps.clock.nowMs()).toISOString());
  for (let round = 1; round <= ROUNDS; round++) {
    const updated = await updateRunWhile(deps, runId, from, { set: { ...set, status: to }, requireEqual: { executionArn } });
    if (updated) {
      // The run ended: no task waits for an operator's decision any more.
      await dropTaskToken(deps, updated);
      await appendAudit(deps, { runId, type: auditType, actor, detail });
      return { outcome: 'marked', runId, status: to };
    }
    const run = await getRun(deps, runId);
    if (!run) return { outcome: 'unchanged', runId, why: 'run-not-found' };
    if (run.executionArn !== executionArn) return { outcome: 'unchanged', runId, why: 'another-execution', status: run.status };
    if (!from.includes(run.status)) return { outcome: 'unchanged', runId, why: 'run-not-active', status: run.status };
  }
  throw new RunStatusChangedError(runId, 'changing', from.join(' or '), `mark it ${to}`);
}

function recordOf(ended: ExecutionEnded, now: string): { set: Record<string, unknown>; actor: string; detail: Record<string, unknown> } {
  const cause = cutText(ended.cause ?? '', CAUSE_CHARS);
  if (ended.status === 'ABORTED') {
    const actor = ended.actor ?? UNKNOWN_STOPPER;
    const reason = cutText(ended.reason ?? '', CAUSE_CHARS);
    return { set: { stoppedBy: actor, stopReason: reason, stoppedAt: now }, actor, detail: { executionArn: ended.executionArn, reason } };
  }
  const error = { Error: ended.error ?? (ended.status === 'TIMED_OUT' ? 'States.Timeout' : 'States.Runtime'), Cause: cause };
  return { set: { error }, actor: ended.actor ?? SERVICE_ACTOR, detail: { executionArn: ended.executionArn, ...error } };
}
