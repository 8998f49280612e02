import { beginRollback, finishRehearsal, finishRollback } from '../lib/rollback';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { RollbackFinishEventSchema } from './schema';

/**
 * BeginRollback: refuses on what the check of every batch found, else moves the run to ROLLING_BACK.
 * FinishRollback, applying: verifies every batch was rolled back, writes the report, marks the run;
 * rehearsing: sums the findings into the rehearsal report.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'rollback-finish',
    RollbackFinishEventSchema,
    async (input, { deps: d, logger }) => {
      if (input.step === 'begin') {
        const started = await beginRollback(d, input);
        logger.info('rollback begun', { ...started });
        return started;
      }
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
