import { setTimeout as sleep } from 'node:timers/promises';
import type { CliIo } from '../CliIo';
import { ControlRefusedError, RunNotWaitingAgainError } from '../errors';
import type { Target } from '../target';
import { describeExecutionState } from './executionOfRun';
import { RUN_MARKED_DEADLINE_MS } from './waitForRunMarked';

/**
 * Posts a control to a paused run, waiting out a restarted local cloud: the run's execution was
 * started again from its first state, so the task token its record holds is gone until the
 * workflow drains its map and waits for the operator again (a new token). While the endpoint
 * refuses with RunNoLongerWaitsError and that execution is still RUNNING, the control is posted
 * again every `io.pollMs`, up to `io.runMarkedDeadlineMs`. Any other refusal is thrown at once.
 * @throws RunNotWaitingAgainError when the workflow has not waited again by the deadline
 * @example
 *   const outcome = await postWhileReentering(t, io, executionArn, () => postRunControl(t, { action: 'resume', runId, reason }));
 */
export async function postWhileReentering<T>(t: Target, io: CliIo, run: { runId: string; executionArn: string }, post: () => Promise<T>): Promise<T> {
  const deadlineMs = io.runMarkedDeadlineMs ?? RUN_MARKED_DEADLINE_MS;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await post();
    } catch (refused) {
      if (!(await reentering(t, refused, run.executionArn))) throw refused;
      if (Date.now() >= deadline) throw new RunNotWaitingAgainError(run.runId, run.executionArn, deadlineMs);
      await sleep(io.pollMs ?? 250);
    }
  }
}

/** Only the local cloud restarts an execution under a waiting run; on AWS the refusal stands. */
async function reentering(t: Target, refused: unknown, executionArn: string): Promise<boolean> {
  if (t.kind !== 'local' || !(refused instanceof ControlRefusedError) || refused.refusal !== 'RunNoLongerWaitsError') return false;
  return (await describeExecutionState(t.sfn, executionArn))?.status === 'RUNNING';
}
