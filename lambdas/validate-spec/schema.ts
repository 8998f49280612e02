import { z } from 'zod';

/** ValidateSpec receives the raw execution input (untrusted) and the execution name. */
export const ValidateSpecEventSchema = z.object({ input: z.unknown(), runId: z.string().min(1).max(80) });
