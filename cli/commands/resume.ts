import { z } from 'zod';
import type { CommandDefinition } from '../commandTable';
import { RunStateError } from '../errors';
import { describeExecutionState } from '../runs/executionOfRun';
import { derivedExecutionName } from '../runs/executionNames';
import { postRunControl } from '../runs/postControl';
import { postWhileReentering } from '../runs/reenteredExecution';
import { findRunningRollback } from '../runs/runningRollback';
import { readRun } from '../runs/runProgress';
import { startUnderFreeName } from '../runs/startExecution';
import { targetFlags } from './targetFlags';

/** Statuses a resume cannot continue from, and what to do instead. */
const NOT_RESUMABLE: Readonly<Record<string, string>> = {
  SUCCEEDED: 'it already finished; `backfill report` shows its report',
  SUCCEEDED_WITH_FAILURES: 'it already finished (some batches failed within the tolerance); start a new run to redo them',
  ROLLED_BACK: 'it was rolled back; start a new run under another name',
  ROLLED_BACK_WITH_CONFLICTS: 'it was rolled back; start a new run under another name',
  REJECTED: 'its approval was rejected or timed out (`backfill approvals` says who and why); a rejected run stays rejected: start a new run under another name',
  ABORTING: 'it is being aborted (`backfill status` says who and why); once ABORTED it stays so: roll it back, or start a new run under another name',
  ABORTED: 'it was aborted (`backfill status` says who and why); an aborted run stays so: `backfill rollback` undoes what it wrote, or start a new run under another name',
  REJECTED_ROLLED_BACK: 'its approval was rejected and its canary rolled back (`backfill approvals` says who and why); start a new run under another name',
};

const ResumeOptions = z.object({ reason: z.string().default('') });

/**
 * `backfill resume RUN`: a PAUSING or PAUSED run through the control endpoint (its waiting workflow is
 * released: SendTaskSuccess; the map runs again, finished batches skipped); any other resumable run
 * with a new execution (Step Functions never reuses a name) with its pinned spec and its runId.
 */
export const resumeCommand: CommandDefinition = {
  name: 'resume',
  summary: 'resume a paused run (its workflow goes on), or a failed, stopped or timed-out one (a new execution with its pinned spec and runId)',
  arguments: ['<run>'],
  options: [{ flags: '--reason <text>', description: 'why; recorded in the audit trail with who resumed a paused run' }],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const { reason } = ResumeOptions.parse(options);
    const t = await target();
    const { run, executionArn } = await readRun(t, runId);
    if (run.status === 'PAUSING' || run.status === 'PAUSED') {
      const outcome = await postWhileReentering(t, io, { runId, executionArn }, () => postRunControl(t, { action: 'resume', runId, reason }));
      io.out(
        outcome.released
          ? `Resumed run ${runId} (was ${outcome.from}): its waiting workflow was released; the map runs again, finished batches skipped`
          : `Resumed run ${runId} (was ${outcome.from}): its gate is open again; the map goes on`,
      );
      io.out(`  watch it   backfill watch ${runId} ${targetFlags(options)}`);
      return 0;
    }
    if (run.status === 'ROLLING_BACK') {
      const rollbackArn = await findRunningRollback(t.sfn, t.resources.rollbackStateMachineArn, runId);
      throw new RunStateError(
        runId,
        rollbackArn
          ? `run ${runId} is ROLLING_BACK: its rollback is running in ${rollbackArn}; a rolled-back run is not resumed: \`backfill status ${runId}\` follows it`
          : `run ${runId} is ROLLING_BACK but no rollback execution runs (it stopped before finishing): \`backfill rollback ${runId} --reason "..."\` resumes the rollback`,
      );
    }
    const why = NOT_RESUMABLE[run.status];
    if (why) throw new RunStateError(runId, `run ${runId} is ${run.status}: ${why}`);
    const current = await describeExecutionState(t.sfn, executionArn);
    if (current?.status === 'RUNNING') {
      throw new RunStateError(runId, `run ${runId} is still running in ${executionArn}; \`backfill watch ${runId}\` to follow it, or \`backfill stop ${runId} --reason ...\` first`);
    }
    const startedBy = await t.callerIdentity();
    const { executionArn: resumedArn, name } = await startUnderFreeName(t.sfn, {
      stateMachineArn: t.resources.backfillStateMachineArn,
      input: { ...run.spec, runId, startedBy },
      nameFor: (n) => derivedExecutionName(runId, `r${n}`),
      first: run.starts + 1,
    });
    io.out(`Resumed run ${runId} (was ${run.status}) in execution ${name}`);
    io.out(`  execution  ${resumedArn}`);
    io.out(`  watch it   backfill watch ${runId} ${targetFlags(options)}`);
    return 0;
  },
};
