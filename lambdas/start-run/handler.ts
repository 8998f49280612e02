import { startOrResumeRun } from '../lib/ledger';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { StartRunEventSchema } from './schema';

/** Creates the run record or resumes the run (same runId and spec). */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'start-run',
    StartRunEventSchema,
    async (input, { deps: d, logger }) => {
      const result = await startOrResumeRun(d, input);
      logger.info(result.resumed ? 'run resumed' : 'run started', { ...result });
      return result;
    },
    deps,
  );

export const handler = createHandler();
