import { z } from 'zod';
import type { CommandDefinition } from '../commandTable';
import { JSON_OPTION } from '../commandTable';
import { UsageError } from '../errors';
import { postRunControl } from '../runs/postControl';
import { readRun } from '../runs/runProgress';
import { targetFlags } from './targetFlags';

const PauseOptions = z.object({ reason: z.string(), json: z.boolean().optional() });

/**
 * `backfill pause RUN --reason TEXT`: shuts the run's gate through the control endpoint as the
 * caller (audited with who and why): no batch starts writing, batches in flight finish, then the
 * workflow waits (PAUSED) for `backfill resume` or `backfill abort`.
 */
export const pauseCommand: CommandDefinition = {
  name: 'pause',
  summary: 'pause a running run: no batch starts writing, the batches in flight finish, then it waits (PAUSED) for resume or abort; audited with your identity',
  arguments: ['<run>'],
  options: [{ flags: '--reason <text>', description: 'why (required); recorded on the run and in the audit trail with who paused it', required: true }, JSON_OPTION],
  target: 'any',
  async run({ args, options, io, target }) {
    const runId = args[0]!;
    const { reason, json } = PauseOptions.parse(options);
    if (!reason.trim()) throw new UsageError('pause stops a run\'s writes: say why with --reason "..." (recorded with who paused it)');
    const t = await target();
    await readRun(t, runId);
    const outcome = await postRunControl(t, { action: 'pause', runId, reason });
    if (json) {
      io.out(JSON.stringify(outcome));
      return 0;
    }
    const flags = targetFlags(options);
    io.out(
      outcome.changed
        ? `Pausing run ${runId} (was ${outcome.from}): no batch starts writing; the batches in flight finish, then it waits (PAUSED)`
        : `run ${runId} is already ${outcome.status}: nothing changed (\`backfill status ${runId}\` says who paused it and why)`,
    );
    io.out(`  next       backfill resume ${runId} ${flags}   or   backfill abort ${runId} --reason "..." [--rollback] ${flags}`);
    return 0;
  },
};
