import { z } from 'zod';

/*
 * A batch's part of its stage's diff, as the worker records it on the batch record (JSON text in
 * `evidence.diffSummary`): everything GoldenDiff keeps, in a form that merges exactly. ValidateStage
 * merges these instead of re-reading every snapshot of the stage. The ledger is read back across
 * versions of the code, so the text is parsed with this schema where it is read.
 */

const count = z.number().int().nonnegative();

const ExactSumStateSchema = z.object({ sum: z.string().regex(/^-?\d+(\.\d+)?$/), safeIntegers: z.boolean() }).strict();

/**
 * One kept sample. `sortKey` (what orders samples across batches) is stored only when it cannot be
 * rebuilt from the sample itself, i.e. when a value was cut for display.
 */
const SummarySampleSchema = z
  .object({ sortKey: z.string().optional(), key: z.record(z.string(), z.unknown()), before: z.unknown().optional(), after: z.unknown().optional() })
  .strict();

const SummaryAttributeSchema = z
  .object({
    attribute: z.string(),
    added: count,
    removed: count,
    changed: count,
    numeric: z.boolean(),
    before: ExactSumStateSchema,
    after: ExactSumStateSchema,
    samples: z.array(SummarySampleSchema),
  })
  .strict();

export const DiffSummarySchema = z
  .object({
    version: z.literal(1),
    /** The samples kept per attribute: a stage asking for more cannot use this summary. */
    maxSamples: count,
    created: count,
    updated: count,
    unchanged: count,
    attributes: z.array(SummaryAttributeSchema),
  })
  .strict();

export type DiffSummary = z.infer<typeof DiffSummarySchema>;
export type DiffSummarySample = z.infer<typeof SummarySampleSchema>;

/**
 * The largest summary text a batch record carries (DynamoDB items stop at 400 KB, and every KB
 * is a write unit): a batch whose summary is longer records none, and ValidateStage reads its
 * snapshot as before.
 */
export const MAX_DIFF_SUMMARY_CHARS = 64 * 1024;
