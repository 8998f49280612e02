import type { CommandDefinition } from '../commandTable';
import { JSON_OPTION } from '../commandTable';
import { formatStatus } from '../runs/formatProgress';
import { readRunProgress } from '../runs/runProgress';

/** `backfill status RUN [--json]`: the run's status, stage, progress, first failures, rate, ETA, who started it. */
export const statusCommand: CommandDefinition = {
  name: 'status',
  summary: 'a run\'s status, stage, batches and records, first failures, rate, ETA, who started it, code version',
  arguments: ['<run>'],
  options: [JSON_OPTION],
  target: 'any',
  async run({ args, options, io, target }) {
    const progress = await readRunProgress(await target(), args[0]!, Date.now());
    io.out(options.json ? JSON.stringify(progress) : formatStatus(progress));
    return 0;
  },
};
