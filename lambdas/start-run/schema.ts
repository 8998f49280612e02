import { z } from 'zod';
import { SpecSchema } from '../lib/spec';

export const StartRunEventSchema = z.object({ runId: z.string().min(1), spec: SpecSchema, specHash: z.string().regex(/^[0-9a-f]{64}$/) });
