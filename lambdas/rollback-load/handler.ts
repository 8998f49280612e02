import { loadRollback } from '../lib/rollback';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { RollbackLoadEventSchema } from './schema';

/** Validates the input, checks the run, moves it to ROLLING_BACK (apply) and writes the rollback manifest. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'rollback-load',
    RollbackLoadEventSchema,
    async ({ input }, { deps: d, logger }) => {
      const loaded = await loadRollback(d, input);
      logger.info(loaded.alreadyRolledBack ? 'run already rolled back' : 'rollback loaded', {
        runId: loaded.runId,
        mode: loaded.mode,
        ...(loaded.alreadyRolledBack ? {} : { resumed: loaded.resumed, batches: loaded.manifest.batchCount, entries: loaded.manifest.entryCount }),
      });
      return loaded;
    },
    deps,
  );

export const handler = createHandler();
