import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import type { CommandDefinition } from '../commandTable';
import { RunNotMarkedError, RunStateError, UsageError } from '../errors';
import { describeExecutionState } from '../runs/executionOfRun';
import { findRunningRollback } from '../runs/runningRollback';
import { readRun } from '../runs/runProgress';
import { RUN_MARKED_DEADLINE_MS, waitForRunMarked } from '../runs/waitForRunMarked';
import type { Target } from '../target';
import { targetFlags } from './targetFlags';

const StopOptions = z.object({ reason: z.string() });

/** The error and cause `backfill stop` gives StopExecution (contract D); the status-change handler reads them back. */
export const STOPPED_BY_OPERATOR = 'StoppedByOperator';

/** Why `stop` does nothing to a run being rolled back, and how to stop the rollback's execution itself. */
async function rollingBackError(t: Target, runId: string, flags: string): Promise<RunStateError> {
  const rollbackArn = await findRunningRollback(t.sfn, t.resources.rollbackStateMachineArn, runId);
  const endpoint = t.kind === 'local' ? ' --endpoint-url <stepfunctions of endpoints.json>' : '';
  const execution = rollbackArn ?? `<the RUNNING execution of ${t.resources.rollbackStateMachineArn}>`;
  return new RunStateError(
    runId,
    `run ${runId} is ROLLING_BACK: a rollback is running (${rollbackArn ?? 'its execution was not found among the running ones'}); \`backfill stop\` stops a run's forward execution, not a rollback. ` +
      `To stop the rollback: \`aws stepfunctions stop-execution --execution-arn ${execution}${endpoint}\`; a rollback is resumable: \`backfill rollback ${runId} --reason "..." ${flags}\` later resumes it`,
  );
}

/**
 * `backfill stop RUN --reason TEXT`: StopExecution of the run's current execution with who and why in
 * its cause, then waits (bounded) for the stack's status-change rule to mark the run STOPPED. The CLI
 * never writes the ledger (the operator policy on AWS has no ledger write). Again on a stopped run: says so.
 */
export const stopCommand: CommandDefinition = {
  name: 'stop',
  summary: 'stop a run\'s execution; the run ends STOPPED with who stopped it and why (resume or roll it back later)',
  arguments: ['<run>'],
  options: [{ flags: '--reason <text>', description: 'why (required); recorded on the run and in the audit trail with who stopped it', required: true }],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const { reason } = StopOptions.parse(options);
    if (!reason.trim()) throw new UsageError('stop ends a run: say why with --reason "..." (recorded with who stopped it)');
    const t = await target();
    const flags = targetFlags(options);
    const { run, executionArn } = await readRun(t, runId);
    if (run.status === 'ROLLING_BACK') throw await rollingBackError(t, runId, flags);
    const execution = await describeExecutionState(t.sfn, executionArn);
    const stopping = execution?.status === 'RUNNING';
    if (stopping) {
      const actor = await t.callerIdentity();
      await t.sfn.send(new StopExecutionCommand({ executionArn, error: STOPPED_BY_OPERATOR, cause: JSON.stringify({ actor, reason }) }));
    } else if (execution?.status !== 'ABORTED') {
      io.out(`run ${runId} is ${run.status}; its execution ${executionArn} is ${execution?.status ?? 'unknown to Step Functions'}: nothing to stop`);
      return 0;
    }
    // Stopped now or before (this command, the console, the API): the status-change rule marks the run.
    const marked = await waitForRunMarked(t, runId, io);
    if (!marked) throw new RunNotMarkedError(runId, executionArn, io.runMarkedDeadlineMs ?? RUN_MARKED_DEADLINE_MS, t.kind);
    const by = marked.stoppedBy ? ` by ${marked.stoppedBy}: ${marked.stopReason ?? ''}` : '';
    io.out(
      stopping
        ? `Stopped run ${runId}: ${marked.status},${by}`
        : `run ${runId} is ${marked.status}${by ? ` (stopped${by})` : ''}; its execution ${executionArn} is ABORTED`,
    );
    io.out(`  next       backfill resume ${runId} ${flags}   or   backfill rollback ${runId} --reason "..." ${flags}`);
    return 0;
  },
};
