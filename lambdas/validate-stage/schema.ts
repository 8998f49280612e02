import { z } from 'zod';
import { SpecSchema } from '../lib/spec';
import { PlannedStageSchema } from '../lib/stages';
import { PlanResultSchema } from '../finalize/schema';

/** ValidateStage's Task input: `{ runId, spec, plan, stage: $.next.stage }`. */
export const ValidateStageEventSchema = z.object({ runId: z.string().min(1), spec: SpecSchema, plan: PlanResultSchema, stage: PlannedStageSchema });
