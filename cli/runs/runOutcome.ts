import { EXIT } from '../errors';
import type { RunProgress } from './runProgress';

/**
 * Run statuses in which the run's work is still going on (a forward run, or its rollback), or
 * waits to go on: a pausing or paused run (its workflow waits for an operator), an aborting one.
 */
const ACTIVE = new Set(['RUNNING', 'ROLLING_BACK', 'PAUSING', 'PAUSED', 'ABORTING']);

/** Statuses whose execution must still run; a closed one ends the watch with the execution's outcome. */
const FORWARD = new Set(['RUNNING', 'PAUSING', 'PAUSED', 'ABORTING']);

/** The exit code of each status a run ends in (documented in the README's operator section). */
const EXIT_OF_STATUS: Readonly<Record<string, number>> = {
  SUCCEEDED: EXIT.ok,
  ROLLED_BACK: EXIT.ok,
  SUCCEEDED_WITH_FAILURES: EXIT.partial,
  ROLLED_BACK_WITH_CONFLICTS: EXIT.partial,
  FAILED: EXIT.failed,
  TIMED_OUT: EXIT.failed,
  // The approvers refused it (or nobody decided in time): the run did not do its work.
  REJECTED: EXIT.failed,
  REJECTED_ROLLED_BACK: EXIT.failed,
  STOPPED: EXIT.stopped,
  // An operator (or a paused run's timeout) aborted it: it ended without doing all its work, like a stop.
  ABORTED: EXIT.stopped,
};

/** The exit code of each status an execution closes in, for a run whose record was not moved (yet). */
const EXIT_OF_EXECUTION: Readonly<Record<string, number>> = { SUCCEEDED: EXIT.ok, FAILED: EXIT.failed, TIMED_OUT: EXIT.failed, ABORTED: EXIT.stopped };

/**
 * Whether the run has ended and with which exit code: its record left RUNNING / ROLLING_BACK (and
 * no resume of it is starting), or its execution closed while the record still says RUNNING
 * (stopped before anything could mark it).
 * @example
 *   runOutcome(progress); // { ended: true, exitCode: 0, status: 'SUCCEEDED' }
 */
export function runOutcome(progress: Pick<RunProgress, 'status' | 'execution' | 'pendingExecutionArn'>): { ended: boolean; exitCode: number; status: string } {
  // A resume is on its way: the record still shows the run as it was.
  if (progress.pendingExecutionArn) return { ended: false, exitCode: EXIT.ok, status: progress.status };
  if (!ACTIVE.has(progress.status)) return { ended: true, exitCode: EXIT_OF_STATUS[progress.status] ?? EXIT.failed, status: progress.status };
  const execution = progress.execution?.status;
  if (FORWARD.has(progress.status) && execution !== undefined && execution !== 'RUNNING') {
    return { ended: true, exitCode: EXIT_OF_EXECUTION[execution] ?? EXIT.failed, status: `${progress.status} (execution ${execution})` };
  }
  return { ended: false, exitCode: EXIT.ok, status: progress.status };
}
