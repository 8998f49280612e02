import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { finalizeRun } from '../lib/run';
import { FinalizeEventSchema } from './schema';

/** Reconciles, checks thresholds, checksums, writes the report, marks the run. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'finalize',
    FinalizeEventSchema,
    async (input, { deps: d, logger }) => {
      const report = await finalizeRun(d, input);
      logger.info('run finalized', { status: report.status, counts: report.counts, targetChecksum: report.targetChecksum });
      return report;
    },
    deps,
  );

export const handler = createHandler();
