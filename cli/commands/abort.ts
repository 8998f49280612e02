import { z } from 'zod';
import type { CommandDefinition } from '../commandTable';
import { JSON_OPTION } from '../commandTable';
import { UsageError } from '../errors';
import { postRunControl } from '../runs/postControl';
import { postWhileReentering } from '../runs/reenteredExecution';
import { readRun } from '../runs/runProgress';
import { targetFlags } from './targetFlags';

const AbortOptions = z.object({ reason: z.string(), rollback: z.boolean().default(false), json: z.boolean().optional() });

/**
 * `backfill abort RUN --reason TEXT [--rollback]`: ends a running, pausing or paused run through the
 * control endpoint as the caller (audited): no batch starts writing, the batches in flight finish,
 * the run ends ABORTED (with --rollback, then rolled back).
 */
export const abortCommand: CommandDefinition = {
  name: 'abort',
  summary: 'abort a running, pausing or paused run: it drains and ends ABORTED, what was written stays (--rollback: then rolled back); audited with your identity',
  arguments: ['<run>'],
  options: [
    { flags: '--reason <text>', description: 'why (required); recorded on the run and in the audit trail with who aborted it', required: true },
    { flags: '--rollback', description: 'roll back what the run wrote once it has drained (the rollback state machine)' },
    JSON_OPTION,
  ],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const { reason, rollback, json } = AbortOptions.parse(options);
    if (!reason.trim()) throw new UsageError('abort ends a run: say why with --reason "..." (recorded with who aborted it)');
    const t = await target();
    const { executionArn } = await readRun(t, runId);
    const outcome = await postWhileReentering(t, io, { runId, executionArn }, () => postRunControl(t, { action: 'abort', runId, reason, rollback }));
    if (json) {
      io.out(JSON.stringify(outcome));
      return 0;
    }
    if (!outcome.changed) {
      io.out(`run ${runId} is already ${outcome.status}: nothing changed (\`backfill status ${runId}\` says who aborted it and why)`);
      return 0;
    }
    const { from } = outcome;
    const then = rollback ? 'then ends ABORTED and is rolled back' : 'then ends ABORTED (what was written stays; `backfill rollback` can undo it)';
    io.out(`Aborting run ${runId} (was ${from}): no batch starts writing; ${from === 'PAUSED' ? 'its waiting workflow was released and' : 'the batches in flight finish, it'} ${then}`);
    io.out(`  follow it  backfill watch ${runId} ${targetFlags(options)}`);
    return 0;
  },
};
