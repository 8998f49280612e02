import { finishRehearsal, finishRollback } from '../lib/rollback';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { RollbackFinishEventSchema } from './schema';

/** Applying: verifies every batch was rolled back, writes the report, marks the run. Rehearsing: sums the findings into the rehearsal report. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'rollback-finish',
    RollbackFinishEventSchema,
    async (input, { deps: d, logger }) => {
      if (input.mode === 'rehearse') {
        const report = await finishRehearsal(d, input);
        logger.info('rollback rehearsed', { healthy: report.healthy, problemCount: report.problemCount, wouldRestore: report.wouldRestore, wouldDelete: report.wouldDelete });
        return report;
      }
      const report = await finishRollback(d, input);
      logger.info('run rolled back', { status: report.status, counts: report.counts });
      return report;
    },
    deps,
  );

export const handler = createHandler();
