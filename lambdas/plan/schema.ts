import { z } from 'zod';
import { SpecSchema } from '../lib/spec';

export const PlanEventSchema = z.object({ runId: z.string().min(1), spec: SpecSchema });
