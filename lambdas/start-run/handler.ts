import { startOrResumeRun } from '../lib/ledger';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { StartRunEventSchema } from './schema';

/**
 * Creates the run record or resumes the run (same runId and spec). A run that already finished with
 * this spec returns `alreadyFinished: true` and its recorded report; the workflow then ends at once.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'start-run',
    StartRunEventSchema,
    async (input, { deps: d, logger }) => {
      const result = await startOrResumeRun(d, input);
      if (result.alreadyFinished) logger.info('run already finished; nothing to do', { runId: result.runId, status: result.status, finishedAt: result.finishedAt });
      else logger.info(result.resumed ? 'run resumed' : 'run started', { ...result });
      return result;
    },
    deps,
  );

export const handler = createHandler();
