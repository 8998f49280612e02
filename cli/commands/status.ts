import type { CommandDefinition } from '../commandTable';
import { JSON_OPTION } from '../commandTable';
import { EXIT, UnknownRunError } from '../errors';
import { formatStatus } from '../runs/formatProgress';
import { runlessExecution } from '../runs/runlessExecution';
import { readRunProgress } from '../runs/runProgress';

/** `backfill status RUN [--json]`: the run's status, stage, progress, first failures, rate, ETA, who started it. */
export const statusCommand: CommandDefinition = {
  name: 'status',
  summary: 'a run\'s status, stage, batches and records, first failures, rate, ETA, who started it, who paused or aborted it and why, the breaker, its concurrency, code version',
  arguments: ['<run>'],
  options: [JSON_OPTION],
  target: 'any',
  async run({ args, options, io, target }) {
    const t = await target();
    let progress;
    try {
      progress = await readRunProgress(t, args[0]!, Date.now());
    } catch (error) {
      const early = error instanceof UnknownRunError ? await runlessExecution(t, args[0]!) : undefined;
      if (!early) throw error;
      io.out(options.json ? JSON.stringify({ runId: args[0], status: null, execution: early.state }) : early.message);
      return early.state.status === 'RUNNING' ? EXIT.ok : EXIT.failed;
    }
    io.out(options.json ? JSON.stringify(progress) : formatStatus(progress));
    return EXIT.ok;
  },
};
