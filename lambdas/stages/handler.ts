import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { completeStage, nextStage } from '../lib/stages';
import { StagesEventSchema } from './schema';

/**
 * The staged workflow's stage keeper: `next` says where the run goes on (the first stage not
 * PASSED, at its processing or its approval; or done), `complete` passes a stage.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'stages',
    StagesEventSchema,
    async (input, { deps: d, logger }) => {
      if (input.action === 'next') {
        const next = await nextStage(d, input);
        logger.info('next stage', next.done ? { done: true } : { stage: next.stage.name, resumeAt: next.resumeAt });
        return next;
      }
      const record = await completeStage(d, input);
      logger.info('stage passed', { stage: record.name, decidedBy: record.decidedBy });
      return { stage: record.name, status: record.status };
    },
    deps,
  );

export const handler = createHandler();
