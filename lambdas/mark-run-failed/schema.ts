import { z } from 'zod';

/** The Catch's `$.error`: Step Functions' `{ Error, Cause }`. */
export const MarkRunFailedEventSchema = z.object({
  runId: z.string().min(1),
  error: z.object({ Error: z.string(), Cause: z.string().default('') }),
});
