import { z } from 'zod';
import type { RehearsalReport, RollbackReport } from '../../lambdas/lib/rollback';
// reports.ts imports types only: the command stays free of the rollback library.
import { rolledBackCleanly } from '../../lambdas/lib/rollback/reports';
import type * as RollbackFormat from '../../local/cli/formatRollbackReport';
import { JSON_OPTION, type CommandDefinition } from '../commandTable';
import { EXIT, RunStateError, UsageError } from '../errors';
import { derivedExecutionName } from '../runs/executionNames';
import type { ExecutionState } from '../runs/executionOfRun';
import { readRun } from '../runs/runProgress';
import { runningExecutionOf } from '../runs/runningExecution';
import { startUnderFreeName } from '../runs/startExecution';
import { waitForExecution } from '../runs/waitForExecution';
import { targetFlags } from './targetFlags';

const RollbackOptions = z.object({
  rehearse: z.boolean().optional(),
  force: z.boolean().optional(),
  keepNewerRunWrites: z.boolean().optional(),
  reason: z.string().optional(),
  json: z.boolean().optional(),
});

/** The formatters name the local bucket; a report names its keys only. */

function timing(state: ExecutionState, entries: number) {
  const elapsedMs = state.startDate && state.stopDate ? state.stopDate.getTime() - state.startDate.getTime() : 0;
  return { elapsedMs, itemsPerSecond: elapsedMs > 0 ? entries / (elapsedMs / 1000) : 0 };
}

/** `backfill rollback RUN [--rehearse] [--force] [--keep-newer-run-writes] --reason TEXT`: starts the rollback state machine and waits for it. */
export const rollbackCommand: CommandDefinition = {
  name: 'rollback',
  summary: 'roll a run back to its pre-run state (or --rehearse: check without writing) through the rollback state machine, and wait for it',
  arguments: ['<run>'],
  options: [
    { flags: '--rehearse', description: 'check the rollback without writing anything (no --reason needed)' },
    { flags: '--force', description: 'roll back a run still marked RUNNING: you assert its execution is stopped' },
    { flags: '--keep-newer-run-writes', description: 'roll back under later runs: the items they wrote stay as they wrote them (conflicts)' },
    { flags: '--reason <text>', description: 'why (required unless --rehearse); recorded in the audit trail with who asked' },
    JSON_OPTION,
  ],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const o = RollbackOptions.parse(options);
    const mode = o.rehearse ? 'rehearse' : 'apply';
    if (mode === 'apply' && !o.reason?.trim()) throw new UsageError(`rollback rewrites the target table: say why with --reason "..." (recorded with who asked), or check first with --rehearse`);
    const t = await target();
    const { run, executionArn: runExecutionArn } = await readRun(t, runId);
    // Checked before anything starts: a rollback under a running execution races its workers.
    const running = await runningExecutionOf(t, runId, runExecutionArn);
    const stopFirst = `\`backfill stop ${runId} --reason "..." ${targetFlags(options)}\``;
    if (running && mode === 'apply') {
      const force = o.force ? '; --force is for a run whose execution is gone (stopped or killed), not for one still running' : '';
      throw new RunStateError(runId, `run ${runId} is ${run.status} and its execution ${running} is still running: stop it first with ${stopFirst}, then roll it back${force}`);
    }
    if (running) io.err(`note: run ${runId} is still running in ${running}: the rehearsal reads the table while the run still writes it`);
    if (!running && mode === 'apply' && !o.force && run.status === 'RUNNING') {
      throw new RunStateError(
        runId,
        `run ${runId} is still marked RUNNING but no execution of it runs (${runExecutionArn} is not running): ${stopFirst} records it as stopped; or roll it back with --force, asserting its workers are gone`,
      );
    }
    const requestedBy = await t.callerIdentity();
    const input = {
      runId,
      mode,
      force: o.force ?? false,
      keepNewerRunWrites: o.keepNewerRunWrites ?? false,
      requestedBy,
      ...(o.reason ? { reason: o.reason } : {}),
    };
    const { executionArn, name } = await startUnderFreeName(t.sfn, {
      stateMachineArn: t.resources.rollbackStateMachineArn,
      input,
      nameFor: (n) => derivedExecutionName(runId, `${mode === 'apply' ? 'rollback' : 'rehearsal'}-${n}`),
      first: mode === 'apply' ? (run.rollbackStarts ?? 0) + 1 : 1,
    });
    io.err(`started the ${mode === 'apply' ? 'rollback' : 'rehearsal'} of run ${runId} as ${name} (${executionArn}), requested by ${requestedBy}`);
    const closed = await waitForExecution(t.sfn, executionArn, io, (state) => `${name}: ${state.stage ?? state.status}`);
    if (!closed) {
      io.err(`stopped waiting; the ${mode === 'apply' ? 'rollback' : 'rehearsal'} goes on: \`backfill status ${runId} ${targetFlags(options)}\``);
      return EXIT.interrupted;
    }
    if (closed.status !== 'SUCCEEDED') {
      io.err(`the ${mode === 'apply' ? 'rollback' : 'rehearsal'} of run ${runId} ended ${closed.status}: ${closed.error ?? ''}${closed.cause ? `: ${closed.cause}` : ''}`);
      return EXIT.failed;
    }
    const report = JSON.parse(closed.output ?? '{}') as Record<string, unknown>;
    // Loaded only here, for a start-up time that does not pay for the rollback library.
    const { formatRehearsalReport, formatRollbackReport } = require('../../local/cli/formatRollbackReport') as typeof RollbackFormat;
    if (o.json) io.out(JSON.stringify(report));
    if (mode === 'rehearse') {
      const r = report as unknown as RehearsalReport;
      if (!o.json) io.out(formatRehearsalReport({ ...r, ...timing(closed, r.entries) }, t.resources.artifactsBucket));
      return r.healthy && r.conflicts === 0 ? EXIT.ok : EXIT.partial;
    }
    const r = report as unknown as RollbackReport;
    if (!o.json) io.out(formatRollbackReport({ ...r, ...timing(closed, r.counts.entries) }, t.resources.artifactsBucket));
    return rolledBackCleanly(r) ? EXIT.ok : EXIT.partial;
  },
};
