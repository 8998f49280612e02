import { z } from 'zod';
import { SpecSchema } from '../lib/spec';

export const PlanResultSchema = z.object({
  manifestBucket: z.string().min(1),
  manifestKey: z.string().min(1),
  planHash: z.string().regex(/^[0-9a-f]{64}$/),
  batchCount: z.number().int().min(0),
  recordCount: z.number().int().min(0),
  objectCount: z.number().int().min(0),
});

export const FinalizeEventSchema = z.object({ runId: z.string().min(1), spec: SpecSchema, plan: PlanResultSchema });
