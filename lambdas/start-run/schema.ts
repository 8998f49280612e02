import { z } from 'zod';
import { SpecSchema } from '../lib/spec';

/** ValidateSpec's output: the run, its spec and hash, and who starts it in which execution (null when unknown). */
export const StartRunEventSchema = z.object({
  runId: z.string().min(1),
  spec: SpecSchema,
  specHash: z.string().regex(/^[0-9a-f]{64}$/),
  startedBy: z.string().min(1).max(2048).nullable().optional(),
  executionArn: z.string().min(1).max(2048).nullable().optional(),
  scheduled: z.object({ name: z.string().min(1), scheduledTime: z.string().min(1) }).nullable().optional(),
});
