import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { markExecutionEnded } from '../../lambdas/lib/ledger';
import type { CommandDefinition } from '../commandTable';
import { UsageError } from '../errors';
import { describeExecutionState } from '../runs/executionOfRun';
import { readRun } from '../runs/runProgress';
import { targetFlags } from './targetFlags';

const StopOptions = z.object({ reason: z.string() });

/** The error and cause `backfill stop` gives StopExecution (contract D); the status-change handler reads them back. */
export const STOPPED_BY_OPERATOR = 'StoppedByOperator';
const OperatorCauseSchema = z.object({ actor: z.string(), reason: z.string() });

/** Who stopped an execution and why, from a cause `backfill stop` wrote; undefined for any other cause. */
function operatorCause(cause: string | undefined): z.infer<typeof OperatorCauseSchema> | undefined {
  try {
    const parsed = OperatorCauseSchema.safeParse(JSON.parse(cause ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `backfill stop RUN --reason TEXT`: StopExecution of the run's current execution, then the run
 * record moves to STOPPED with who and why (markExecutionEnded, also what the status-change handler
 * does, so whichever comes first wins and the other changes nothing). Again on a stopped run: says so.
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
    const { run, executionArn } = await readRun(t, runId);
    const execution = await describeExecutionState(t.sfn, executionArn);
    const actor = await t.callerIdentity();
    let ended: { error?: string; cause?: string; actor?: string; reason?: string };
    if (execution?.status === 'RUNNING') {
      const cause = JSON.stringify({ actor, reason });
      await t.sfn.send(new StopExecutionCommand({ executionArn, error: STOPPED_BY_OPERATOR, cause }));
      ended = { error: STOPPED_BY_OPERATOR, cause, actor, reason };
    } else if (execution?.status === 'ABORTED') {
      // Stopped before (by this command, the console or the API): record it if nothing did yet.
      ended = { error: execution.error, cause: execution.cause, ...operatorCause(execution.cause) };
    } else {
      io.out(`run ${runId} is ${run.status}; its execution ${executionArn} is ${execution?.status ?? 'unknown to Step Functions'}: nothing to stop`);
      return 0;
    }
    // The status-change handler may have marked it first (on AWS too): then this changes nothing.
    await markExecutionEnded(t.deps, { runId, executionArn, status: 'ABORTED', ...ended });
    const after = (await readRun(t, runId)).run;
    const by = after.stoppedBy ? ` by ${after.stoppedBy}: ${after.stopReason ?? ''}` : '';
    io.out(
      execution.status === 'RUNNING'
        ? `Stopped run ${runId}: ${after.status},${by}`
        : `run ${runId} is ${after.status}${by ? ` (stopped${by})` : ''}; its execution ${executionArn} is ABORTED`,
    );
    const flags = targetFlags(options);
    io.out(`  next       backfill resume ${runId} ${flags}   or   backfill rollback ${runId} --reason "..." ${flags}`);
    return 0;
  },
};
