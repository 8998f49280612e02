import { z } from 'zod';

/** The Catch's `$.error` (Step Functions' `{ Error, Cause }`) and the rollback's mode. */
export const RollbackMarkFailedEventSchema = z.object({
  runId: z.string().min(1),
  mode: z.enum(['apply', 'rehearse']),
  error: z.object({ Error: z.string(), Cause: z.string().default('') }),
});
