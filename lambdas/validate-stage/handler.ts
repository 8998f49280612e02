import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { gateStage } from '../lib/stages/validate';
import { ValidateStageEventSchema } from './schema';

/** Computes and writes a finished stage's evidence; a failed gate throws StageGateFailed (the ASL's Catch). */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'validate-stage',
    ValidateStageEventSchema,
    async (input, { deps: d, logger }) => {
      const result = await gateStage(d, input);
      logger.info('stage validated', { stage: result.stage, evidenceKey: result.evidenceKey, approvalNeeded: result.approvalNeeded });
      return result;
    },
    deps,
  );

export const handler = createHandler();
