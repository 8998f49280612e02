import { z } from 'zod';
import { bucketNameProblem, tableNameProblem } from './namingRules';
import { ApprovalSchema, RolloutSchema, ValidationSchema } from './stagingSchemas';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const TRANSFORM_ID = /^[a-z0-9][a-z0-9-]*@[1-9][0-9]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/** A string checked by a rule that says what is wrong (one problem, the first rule broken). */
const namedBy = (problemOf: (name: string) => string | undefined) =>
  z.string().check((ctx) => {
    const problem = problemOf(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });

// A value that is not YYYY-MM-DD gets one problem, not a second "not a real date" one. Not with
// `abort` on the regex: an explicit abort also stops the spec's cross-field check below.
const isoDate = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required (YYYY-MM-DD)' : 'must be a date YYYY-MM-DD') })
  .regex(ISO_DATE, 'must be a date YYYY-MM-DD')
  .refine((s) => !ISO_DATE.test(s) || (!Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)), 'is not a real calendar date');

/** Whether a parse has no problem with one of these top-level fields. */
const fieldsValid =
  (...fields: readonly string[]) =>
  (payload: { value: unknown; issues: ReadonlyArray<{ path?: readonly PropertyKey[] }> }) =>
    // Not when the value is no object at all (its issue has no path): there are no fields to compare.
    typeof payload.value === 'object' &&
    payload.value !== null &&
    !payload.issues.some((issue) => (issue.path?.length ?? 0) === 0 || fields.includes(String(issue.path![0])));

export const S3JsonlSourceSchema = z
  .object({
    type: z.literal('s3-jsonl'),
    bucket: namedBy(bucketNameProblem),
    prefix: z.string().max(1024, 'must be at most 1024 characters').default(''),
    /** Only objects under `dt=YYYY-MM-DD/` partitions within [from, to] (inclusive) are read. */
    partitions: z
      .object({ from: isoDate, to: isoDate })
      .strict()
      // Compared only once both are real dates: a bad date must not also produce a bogus order problem.
      .check((ctx) => {
        if (ctx.issues.length > 0 || ctx.value.from <= ctx.value.to) return;
        ctx.issues.push({ code: 'custom', path: ['to'], input: ctx.value.to, message: `must not be before from (${ctx.value.from})`, continue: true });
      })
      .optional(),
  })
  .strict();

const keyType = z.enum(['S', 'N', 'B'], { error: 'must be "S" (string), "N" (number) or "B" (binary)' });

export const TargetSchema = z
  .object({
    tableName: namedBy(tableNameProblem),
    partitionKey: z.string().regex(ATTRIBUTE, 'must be an attribute name'),
    sortKey: z.string().regex(ATTRIBUTE, 'must be an attribute name').optional(),
    versionAttribute: z.string().regex(ATTRIBUTE, 'must be an attribute name').default('version'),
    /** The DynamoDB type of the partition key (the table's AttributeDefinitions): S string, N number, B binary. */
    partitionKeyType: keyType.default('S'),
    /** The DynamoDB type of the sort key; ignored without `sortKey`. */
    sortKeyType: keyType.default('S'),
  })
  .strict();

/** Tells a missing string field from one of another type ("is required" would mislead for `42`). */
const requiredString = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is required (${what})` : `must be a string (${what})`);

const int = (min: number, max: number) =>
  z.number({ error: `must be a whole number from ${min} to ${max}` }).int(`must be a whole number from ${min} to ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const percent = z.number({ error: 'must be a number from 0 to 100' }).min(0, 'must be at least 0').max(100, 'must be at most 100');

/**
 * The execution input of the backfill state machine. The same schema validates console input,
 * scheduler input, the CLI and `npm start -- --spec FILE`.
 */
export const SpecSchema = z
  .object({
    jobName: z.string({ error: requiredString('a name like "orders-fix-rounding"') }).regex(NAME, 'must be 1–64 of A-Z a-z 0-9 _ - and start with a letter or digit'),
    source: S3JsonlSourceSchema,
    transform: z.string({ error: requiredString('name@version, e.g. "order-summary@2"') }).regex(TRANSFORM_ID, 'must be name@version, e.g. "order-summary@2"'),
    target: TargetSchema,
    /**
     * Source records per batch: the unit of claiming, snapshotting and retrying. 2,000 (chosen with
     * `npm run bench`, see docs/benchmarks.md): per-batch costs (a child start, a snapshot PUT, six
     * ledger writes) are a quarter of 500's, while a retry redoes at most 2,000 records.
     */
    batchSize: int(1, 10_000).default(2_000),
    /** Batches handed to one child workflow (ItemBatcher MaxItemsPerBatch). */
    batchesPerWorker: int(1, 100).default(1),
    /**
     * Child workflows in flight at once (distributed Map MaxConcurrency). 2 (chosen with `npm run
     * bench`): two workers keep the target's write rate within what a live on-demand table absorbs
     * at once; raise it deliberately for more throughput.
     */
    maxConcurrency: int(1, 1_000).default(2),
    /** Failed batches tolerated before the map fails (ToleratedFailurePercentage). */
    toleratedFailurePercent: percent.default(0),
    /** Malformed source records tolerated, as a % of records read, before the run fails. */
    maxMalformedPercent: percent.default(1),
    mode: z.enum(['apply', 'dry-run'], { error: 'must be "apply" or "dry-run"' }).default('apply'),
    /** How long a claimed batch stays leased to one attempt before another may take it over. */
    leaseSeconds: int(5, 3_600).default(60),
    /**
     * Bytes of source one batch spans at most (the planner cuts before a line that would pass it),
     * so a worker's memory is bounded by bytes, not only by `batchSize`. 64 MiB: a tenth of a
     * 1,024 MB worker even with the decoded text alongside. A single line longer than this gets a
     * batch of its own (and is quarantined, being longer than `maxRecordBytes`).
     */
    maxBatchBytes: int(1_024, 268_435_456).default(67_108_864),
    /**
     * Bytes one source line may have; a longer line is quarantined without being decoded. 1 MiB:
     * a DynamoDB item holds at most 400 KB, so a record far larger than that is almost surely not
     * one a transform can turn into items, and 64 such lines still fit the default batch.
     */
    maxRecordBytes: int(16, 67_108_864).default(1_048_576),
    /** Whether a plan with no record to process is expected; otherwise Plan fails with EmptyPlanError. */
    allowEmpty: z.boolean({ error: 'must be true or false' }).default(false),
    // No defaults for these three: a spec without them must parse, and hash, as before they existed.
    /** A canary stage, then waves as cumulative % of the plan's batches (issue 11). */
    rollout: RolloutSchema.optional(),
    /** The gate checked after each stage (or, without `rollout`, after the whole run). */
    validation: ValidationSchema.optional(),
    /** Who must sign off the canary before the waves write. */
    approval: ApprovalSchema.optional(),
    // No defaults for these three either (issue 12): a spec without them hashes as before.
    /**
     * What the workflow does when the breaker opens or failed batches pass the tolerance: "pause"
     * (wait for an operator, then resume, roll back or abort), "rollback" (roll back at once, end
     * ROLLED_BACK) or "stop" (end STOPPED, leaving what was written). Absent means "pause".
     */
    onFailure: z.enum(['pause', 'rollback', 'stop'], { error: 'must be "pause", "rollback" or "stop"' }).optional(),
    /** How long a paused run waits for an operator before it aborts. Absent means 86,400 (one day). */
    pauseTimeoutSeconds: int(60, 31_536_000).optional(),
    /** A fleet-wide ceiling on target writes per second, shared by the workers in flight. Absent means no ceiling. */
    maxWritesPerSecond: int(1, 1_000_000).optional(),
  })
  .strict()
  // `when`: compared whenever both limits are valid numbers, whatever else is wrong, so every
  // problem is named at once (by default zod skips a check once any field has a problem).
  .superRefine(
    (spec, ctx) => {
      const { maxRecordBytes, maxBatchBytes } = spec;
      if (!Number.isInteger(maxRecordBytes) || !Number.isInteger(maxBatchBytes) || maxRecordBytes <= maxBatchBytes) return;
      ctx.addIssue({ code: 'custom', path: ['maxRecordBytes'], input: maxRecordBytes, message: `must not be above maxBatchBytes (${maxBatchBytes})`, continue: true });
    },
    { when: fieldsValid('maxRecordBytes', 'maxBatchBytes') },
  )
  .superRefine(
    (spec, ctx) => {
      if (spec.approval === undefined) return;
      // Approval sits between the canary and the waves; without them there is no point to pause at.
      if (spec.rollout === undefined) {
        ctx.addIssue({ code: 'custom', path: ['approval'], message: 'needs a rollout: approval releases the waves after the canary; add "rollout" or remove "approval"', continue: true });
      }
      // A dry-run writes nothing, so there is nothing to sign off; its evidence is reviewed without one.
      if (spec.mode === 'dry-run') {
        ctx.addIssue({ code: 'custom', path: ['approval'], message: 'is not allowed with mode "dry-run" (a dry-run writes nothing, so nothing waits for a sign-off); remove "approval" or set mode "apply"', continue: true });
      }
    },
    { when: fieldsValid('approval', 'rollout', 'mode') },
  )
  .superRefine(
    (spec, ctx) => {
      const { maxWritesPerSecond, maxConcurrency, leaseSeconds } = spec;
      // A worker's writes are spaced maxConcurrency / maxWritesPerSecond s apart (its share of the
      // ceiling); a turn longer than half the lease would let the batch's lease lapse while it waits.
      if (maxWritesPerSecond === undefined || 2 * maxConcurrency <= leaseSeconds * maxWritesPerSecond) return;
      const spacing = maxConcurrency / maxWritesPerSecond;
      ctx.addIssue({
        code: 'custom',
        path: ['maxWritesPerSecond'],
        input: maxWritesPerSecond,
        message:
          `gives each of maxConcurrency ${maxConcurrency} workers one write every ${Number(spacing.toFixed(3))} s, longer than half of leaseSeconds ${leaseSeconds}, so a batch's lease could lapse between two writes; ` +
          `raise maxWritesPerSecond to at least ${Math.ceil((2 * maxConcurrency) / leaseSeconds)}, lower maxConcurrency to at most ${Math.floor((leaseSeconds * maxWritesPerSecond) / 2)} or raise leaseSeconds to at least ${Math.ceil(2 * spacing)}`,
        continue: true,
      });
    },
    { when: fieldsValid('maxWritesPerSecond', 'maxConcurrency', 'leaseSeconds') },
  );

/** The on-failure policy of a spec without `onFailure`. */
export const DEFAULT_ON_FAILURE = 'pause' as const;
/** The pause timeout of a spec without `pauseTimeoutSeconds`: one day. */
export const DEFAULT_PAUSE_TIMEOUT_SECONDS = 86_400;

/** A spec as written by a user (defaults may be omitted). */
export type SpecInput = z.input<typeof SpecSchema>;
/** A validated spec with every default filled in. */
export type Spec = z.output<typeof SpecSchema>;
