import { z } from 'zod';

/*
 * The evidence ValidateStage writes for one stage (evidence/<runId>/<stage>.json), read back by the
 * approval page and the CLI. It is parsed with this schema wherever it is read (S3 is a trust
 * boundary): a hand-edited or truncated object is refused, never half-shown.
 */

const count = z.number().int().nonnegative();
/** Lists are readonly, as the accumulators (GoldenDiff, goldenCheck, forecastRemaining) return them. */
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const jsonKey = z.record(z.string(), z.unknown());

const CountsSchema = z.object({
  read: count, malformed: count, produced: count, written: count, created: count, unchanged: count, skippedNewer: count, skippedChanged: count,
});

const BandSchema = z.object({ min: z.number(), max: z.number() });

const ChangeRatioSchema = z.object({
  produced: count,
  written: count,
  changePercent: z.number().nullable(),
  band: BandSchema.optional(),
  passed: z.boolean(),
  message: z.string().optional(),
});

/** One batch whose records, transformed again, hash differently from what the worker recorded. */
const DeterminismMismatchSchema = z.object({ batchId: z.string(), expected: z.string(), got: z.string() });

const DeterminismSchema = z.object({
  /** Batches re-transformed (all of a canary's; a bounded, deterministic selection of a wave's). */
  checkedBatches: list(z.string()),
  /**
   * How they were picked, of how many batches with a recorded hash: a canary's every batch, a
   * wave's first and last. Absent in evidence written before the rule was recorded.
   */
  selection: z.object({ rule: z.enum(['every-batch', 'first-and-last']), of: count }).optional(),
  /** Batches of the stage that carry no recorded output hash (done before metering existed). */
  unrecordedBatches: count,
  mismatches: list(DeterminismMismatchSchema),
  passed: z.boolean(),
});

const RuleSampleSchema = z.object({ key: jsonKey, value: z.unknown(), message: z.string() });

const RuleSchema = z.object({
  name: z.string(),
  description: z.string(),
  attribute: z.string(),
  checked: count,
  violations: count,
  samples: list(RuleSampleSchema),
});

const RulesSchema = z.object({
  transform: z.string(),
  items: count,
  violations: count,
  passed: z.boolean(),
  rules: list(RuleSchema),
});

const SumSchema = z.union([z.number(), z.string()]);

const AttributeDiffSchema = z.object({
  attribute: z.string(),
  items: count,
  added: count,
  removed: count,
  changed: count,
  samples: list(z.object({ key: jsonKey, before: z.unknown().optional(), after: z.unknown().optional() })),
  shift: z.object({ before: SumSchema, after: SumSchema }).optional(),
});

const DiffSchema = z.object({
  items: count,
  created: count,
  updated: count,
  unchanged: count,
  attributes: list(AttributeDiffSchema),
});

const ChangeSchema = z.object({ path: z.string(), kind: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });

const GoldenSchema = z.object({
  uri: z.string(),
  golden: count,
  matched: count,
  mismatched: count,
  missing: count,
  notGolden: count,
  passed: z.boolean(),
  mismatches: list(z.object({ key: jsonKey, line: count, changes: list(ChangeSchema) })),
  missingKeys: list(z.object({ key: jsonKey, line: count })),
});

const usageAmount = z.number().nonnegative();

/** What the stage's workers metered, in the price table's items. */
export const StageUsageSchema = z.object({
  dynamodbReadUnits: usageAmount,
  dynamodbWriteUnits: usageAmount,
  s3Gets: usageAmount,
  s3Puts: usageAmount,
  lambdaGbSeconds: usageAmount,
  lambdaRequests: usageAmount,
  stateTransitions: usageAmount,
  expressRequests: usageAmount,
  expressGbSeconds: usageAmount,
});

const PricesSchema = z.object({
  region: z.string(),
  checked: z.string(),
  currency: z.literal('USD'),
  sources: z.object({ dynamodb: z.string(), s3: z.string(), lambda: z.string(), stepFunctions: z.string() }),
});

const RemainingSchema = z.object({ batches: count, records: count });

const ForecastSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('forecast'),
    scale: z.number(),
    remaining: RemainingSchema,
    time: z.object({
      recordsPerSecond: z.number(), ms: z.number(), seconds: z.number(),
      basis: z.enum(['stage-span', 'warm-batch-median']).optional(), basisBatches: count.optional(),
    }),
    lines: list(z.object({
      item: z.string(), service: z.string(), description: z.string(), quantity: z.number(), unit: z.string(), unitPriceUsd: z.number(), usd: z.number(),
    })),
    totalUsd: z.number(),
    prices: PricesSchema,
    notCounted: list(z.string()),
  }),
  z.object({ status: z.literal('cannot-forecast'), reason: z.string(), remaining: RemainingSchema, prices: PricesSchema }),
]);

/**
 * A stage's evidence, version 1.
 * @example
 *   const evidence = StageEvidenceSchema.parse(JSON.parse(text));
 *   evidence.passed; // false when any section failed; evidence.failures says which and why
 */
export const StageEvidenceSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  stage: z.object({
    name: z.string().min(1),
    kind: z.enum(['canary', 'wave']),
    index: count,
    firstBatch: count,
    batchCount: count,
    cumulativePercent: z.number(),
  }),
  mode: z.enum(['apply', 'dry-run']),
  transform: z.string(),
  target: z.string(),
  /** When ValidateStage wrote it (ISO 8601, from the injected clock). */
  createdAt: z.string(),
  /** Every section passed; the gate's verdict. */
  passed: z.boolean(),
  /** One sentence per failed section, naming what failed and the values seen. */
  failures: list(z.string()),
  /** The stage's DONE batch records summed (only its batches). */
  counts: CountsSchema,
  /** Batches of the stage that FAILED, which the stage's map tolerated (toleratedFailurePercent); not in the counts. */
  failedBatches: list(z.object({ batchId: z.string(), error: z.string() })).optional(),
  changeRatio: ChangeRatioSchema,
  determinism: DeterminismSchema,
  rules: RulesSchema,
  diff: DiffSchema,
  /** Present when the spec names `validation.golden`. */
  golden: GoldenSchema.optional(),
  /** What the stage measured: its wall-clock span and the workers' metered usage. */
  measured: z.object({ batches: count, records: count, elapsedMs: z.number().nonnegative(), usage: StageUsageSchema }),
  forecast: ForecastSchema,
});

/** A stage's evidence as written and read. */
export type StageEvidence = z.infer<typeof StageEvidenceSchema>;
