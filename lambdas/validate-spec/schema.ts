import { z } from 'zod';

/** ValidateSpec receives the raw execution input (untrusted), the execution name and its ARN (`$$.Execution.Id`). */
export const ValidateSpecEventSchema = z.object({ input: z.unknown(), runId: z.string().min(1).max(80), executionArn: z.string().min(1).max(2048).optional() });
