import { z } from 'zod';

/** The canary is stage 0; wave stages follow, named by the spec's 1-based wave number. */
export const CANARY_STAGE_NAME = 'canary';

/**
 * One stage of a staged rollout: a contiguous slice of the plan's sorted batches, written by its
 * own distributed Map over its own manifest. Part of the Plan step's output, so parsed where the
 * state hands it to a handler.
 */
export const PlannedStageSchema = z
  .object({
    name: z.string().regex(/^(canary|wave-[1-9]\d*)$/, 'must be "canary" or "wave-<n>"'),
    kind: z.enum(['canary', 'wave']),
    /** 0 for the canary, then 1, 2, … in order (a left-out empty wave takes no index). */
    index: z.number().int().min(0),
    /** Index of its first batch in the plan's sorted batches. */
    firstBatch: z.number().int().min(0),
    batchCount: z.number().int().min(1),
    /** Of the plan's batches, the percentage written once this stage is done. */
    cumulativePercent: z.number().gt(0).max(100),
    /** Its slice of the plan's manifest (the ItemReader's key). */
    manifestKey: z.string().min(1),
  })
  .strict();

export type PlannedStage = z.infer<typeof PlannedStageSchema>;
export type StageKind = PlannedStage['kind'];
