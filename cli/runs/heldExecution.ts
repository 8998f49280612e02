import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { setTimeout as sleep } from 'node:timers/promises';
import { GATED_STATUSES, isStatusIn } from '../../lambdas/lib/ledger/transitions';
import type { CliIo } from '../CliIo';
import { ControlRefusedError, RunNotMarkedError } from '../errors';
import type { Target } from '../target';
import { describeExecutionState } from './executionOfRun';
import { RUN_MARKED_DEADLINE_MS } from './waitForRunMarked';
import { readRun } from './runProgress';

/** StopExecution's error for an execution whose waiting task is gone (kept in `backfill stop`'s shape, which the status-change handler reads). */
const STOPPED_BY_OPERATOR = 'StoppedByOperator';

/**
 * Whether the control endpoint refused because the paused run's workflow no longer waits while its
 * execution is still RUNNING: a restarted local cloud holds such an execution (its WaitForOperator
 * task did not survive the restart), so the run can go on only in a new execution.
 * @example
 *   if (await waitingTaskGone(t, refused, executionArn)) await stopHeldExecution(t, io, { runId, executionArn, reason });
 */
export async function waitingTaskGone(t: Target, refused: unknown, executionArn: string): Promise<boolean> {
  if (t.kind !== 'local' || !(refused instanceof ControlRefusedError) || refused.refusal !== 'RunNoLongerWaitsError') return false;
  return (await describeExecutionState(t.sfn, executionArn))?.status === 'RUNNING';
}

/**
 * Stops the held execution of a gated run (its cause says who and why, as `backfill stop`) and
 * waits, bounded, for the status-change rule to mark the run (PAUSED → STOPPED).
 * @throws RunNotMarkedError when the run is still gated after the deadline
 * @example
 *   const stopped = await stopHeldExecution(t, io, { runId, executionArn, reason: 'resumed in a new execution' });
 */
export async function stopHeldExecution(t: Target, io: CliIo, held: { runId: string; executionArn: string; reason: string }) {
  const actor = await t.callerIdentity();
  await t.sfn.send(new StopExecutionCommand({ executionArn: held.executionArn, error: STOPPED_BY_OPERATOR, cause: JSON.stringify({ actor, reason: held.reason }) }));
  const deadlineMs = io.runMarkedDeadlineMs ?? RUN_MARKED_DEADLINE_MS;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const { run } = await readRun(t, held.runId);
    if (!isStatusIn(run.status, GATED_STATUSES)) return run;
    if (Date.now() >= deadline) throw new RunNotMarkedError(held.runId, held.executionArn, deadlineMs, t.kind);
    await sleep(io.pollMs ?? 250);
  }
}
