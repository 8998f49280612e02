import { z } from 'zod';
import type { PlannedStage } from '../stages';

/**
 * One batch of the plan: a line range of one source object, addressed by bytes so a worker reads
 * only its part. Small and fixed-size, so no state payload grows with the data.
 */
export const ManifestItemSchema = z
  .object({
    batchId: z.string().regex(/^b\d{7}$/),
    bucket: z.string().min(1),
    key: z.string().min(1),
    /** ETag of the object when planned; a worker refuses to read a changed object. */
    etag: z.string().min(1),
    /** First byte of the range (inclusive). */
    byteStart: z.number().int().min(0),
    /** Last byte of the range (inclusive). */
    byteEnd: z.number().int().min(0),
    /** 1-based line number of the range's first line within the object. */
    firstLine: z.number().int().min(1),
    /** Non-blank lines (records) in the range. */
    records: z.number().int().min(1),
  })
  .strict();

export type ManifestItem = z.infer<typeof ManifestItemSchema>;

/** What the Plan step returns into the state: a pointer to the manifest, never the manifest itself. */
export interface PlanResult {
  readonly manifestBucket: string;
  readonly manifestKey: string;
  readonly planHash: string;
  readonly batchCount: number;
  readonly recordCount: number;
  readonly objectCount: number;
  /** The rollout's stages, each with its slice of the manifest; only when the spec has a `rollout`. */
  readonly stages?: readonly PlannedStage[];
}

export const batchIdOf = (index: number): string => `b${String(index).padStart(7, '0')}`;
