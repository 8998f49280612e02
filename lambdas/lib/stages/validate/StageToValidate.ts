import { z } from 'zod';

/**
 * The stage ValidateStage is given: the fields of the planner's PlannedStage it reads (the stage's
 * slice of the plan's sorted batches). A PlannedStage parses as one.
 */
export const StageToValidateSchema = z.object({
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a stage name such as "canary" or "wave-1"'),
  kind: z.enum(['canary', 'wave']),
  index: z.number().int().min(0),
  firstBatch: z.number().int().min(0),
  batchCount: z.number().int().min(1),
  cumulativePercent: z.number().min(0).max(100),
  manifestKey: z.string().min(1).optional(),
});

export type StageToValidate = z.infer<typeof StageToValidateSchema>;
