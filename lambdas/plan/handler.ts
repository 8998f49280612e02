import { buildPlan } from '../lib/plan';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { PlanEventSchema } from './schema';

/** Writes the manifest and pins its hash; returns a pointer to it (bounded payload). */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'plan',
    PlanEventSchema,
    async ({ runId, spec }, { deps: d, logger }) => {
      const plan = await buildPlan(d, runId, spec);
      logger.info('plan ready', { ...plan });
      return plan;
    },
    deps,
  );

export const handler = createHandler();
