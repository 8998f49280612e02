import { z } from 'zod';
import { SpecSchema } from '../lib/spec';

/** RecordRejection's Parameters: the run, its spec, the stage whose approval was refused, and the Catch's `$.error`. */
export const RejectRunEventSchema = z.object({
  runId: z.string().min(1),
  spec: SpecSchema,
  stage: z.string().min(1),
  error: z.object({ Error: z.string(), Cause: z.string().default('') }),
});
