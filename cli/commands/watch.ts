import type { CommandDefinition } from '../commandTable';
import { watchRun } from '../runs/watchRun';

/** `backfill watch RUN`: live progress until the run ends; the exit code says how it ended. */
export const watchCommand: CommandDefinition = {
  name: 'watch',
  summary: 'live progress (batches, records, records/s, ETA, a pause or the breaker) until the run ends (a paused run is followed until resumed or aborted); exit 0 succeeded, 1 failed or timed out, 4 succeeded with failures, 5 stopped or aborted',
  arguments: ['<run>'],
  target: 'any',
  async run({ args, io, target }) {
    return watchRun(await target(), args[0]!, io);
  },
};
