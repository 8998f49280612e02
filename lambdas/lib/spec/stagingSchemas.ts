import { z } from 'zod';
import { bucketNameProblem } from './namingRules';
import { personOf } from './personOf';

/*
 * The spec fields of a staged rollout (issue 11): `rollout`, `validation`, `approval`. All three
 * are optional and carry no default at the top level, so a spec without them parses, and hashes,
 * exactly as before they existed.
 */

const wholeNumber = (min: number, max: number) =>
  z.number({ error: `must be a whole number from ${min} to ${max}` }).int(`must be a whole number from ${min} to ${max}`).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);

const percentOfPlan = z.number({ error: 'must be a number above 0 and at most 100 (% of the plan\'s batches)' }).gt(0, 'must be above 0 (% of the plan\'s batches)').max(100, 'must be at most 100 (% of the plan\'s batches)');

/** Adds a problem at `path` that does not stop the other checks (every problem is named at once). */
function problemAt(ctx: z.core.ParsePayload, path: PropertyKey[], input: unknown, message: string): void {
  ctx.issues.push({ code: 'custom', path, input, message, continue: true });
}

/** Exactly one of `batches` (a count) or `percent` (of the plan's batches). */
const CanarySchema = z
  .object({
    // At most 10,000: a canary is a sample (at the default batchSize that is already 20 M records).
    batches: wholeNumber(1, 10_000).optional(),
    // Below 100: a canary of the whole plan leaves nothing for the waves it is meant to gate.
    percent: percentOfPlan.lt(100, 'must be below 100 (a canary of the whole plan leaves nothing to gate)').optional(),
  })
  .strict()
  .check((ctx) => {
    const given = ['batches', 'percent'].filter((key) => key in ctx.value);
    // Not after an unknown key: a misspelt size is named as such, not also as a missing one.
    if (given.length === 1 || ctx.issues.length > 0) return;
    const how = given.length === 0 ? 'is missing its size' : 'gives both batches and percent';
    problemAt(ctx, [], undefined, `${how}; set exactly one: { "batches": N } or { "percent": P }`);
  });

/** Cumulative % of the plan's batches written after each wave: strictly increasing, ending at 100. */
const WavesSchema = z
  .array(percentOfPlan, { error: 'must be a list of cumulative percentages ending at 100, e.g. [25, 100]' })
  .min(1, 'must list at least one wave, e.g. [100]')
  .max(100, 'must list at most 100 waves')
  .check((ctx) => {
    const waves = ctx.value;
    waves.forEach((wave, i) => {
      if (i > 0 && typeof wave === 'number' && typeof waves[i - 1] === 'number' && wave <= waves[i - 1]!) {
        problemAt(ctx, [i], wave, `must be above the wave before it (${waves[i - 1]}): waves are cumulative %, strictly increasing`);
      }
    });
    const last = waves[waves.length - 1];
    // Only a last wave below 100: one above it already has its problem.
    if (typeof last === 'number' && last < 100) problemAt(ctx, [waves.length - 1], last, 'must be 100: the last wave writes the rest of the plan');
  });

/**
 * `rollout`: a canary stage, then waves as cumulative % of the plan's batches.
 * @example
 *   RolloutSchema.parse({ canary: { batches: 2 }, waves: [25, 100] }); // the same object
 */
export const RolloutSchema = z
  .object({ canary: CanarySchema, waves: WavesSchema })
  .strict()
  .check((ctx) => {
    const { canary, waves } = ctx.value;
    const first = waves?.[0];
    const canaryPercent = canary?.percent;
    // Compared only with a valid canary percent: a bad one already has its problem.
    if (typeof canaryPercent !== 'number' || !(canaryPercent > 0 && canaryPercent < 100) || typeof first !== 'number' || first > canaryPercent) return;
    problemAt(ctx, ['waves', 0], first, `must be above the canary's percent (${canaryPercent}): waves are cumulative and include the canary`);
  });

const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;

/** `s3://bucket/key`, with a bucket name S3 accepts and a non-empty key. */
const s3Uri = z.string({ error: 'must be an s3:// URI, e.g. "s3://my-bucket/golden/orders.jsonl"' }).check((ctx) => {
  const match = S3_URI.exec(ctx.value);
  if (!match) return problemAt(ctx, [], ctx.value, 'must be an s3:// URI with a bucket and a key, e.g. "s3://my-bucket/golden/orders.jsonl"');
  const bucketProblem = bucketNameProblem(match[1]!);
  if (bucketProblem) problemAt(ctx, [], ctx.value, `names a bucket that ${bucketProblem}`);
});

const bandPercent = z.number({ error: 'must be a number from 0 to 100' }).min(0, 'must be at least 0').max(100, 'must be at most 100');

/**
 * `validation`: the gate after each stage; every subfield is optional (`sampleSize` defaults to 20).
 * @example
 *   ValidationSchema.parse({ golden: 's3://qa/golden.jsonl' }); // { golden: 's3://qa/golden.jsonl', sampleSize: 20 }
 */
export const ValidationSchema = z
  .object({
    /** The band of changed items, as a % of items produced, outside which a stage's gate fails. */
    expectedChangePercent: z
      .object({ min: bandPercent, max: bandPercent })
      .strict()
      .check((ctx) => {
        const { min, max } = ctx.value;
        if (typeof min === 'number' && typeof max === 'number' && min > max) problemAt(ctx, ['max'], max, `must not be below min (${min})`);
      })
      .optional(),
    /** JSONL of expected items: every golden key's produced item must equal its golden item. */
    golden: s3Uri.optional(),
    /** Before → after samples kept per attribute in the evidence. */
    sampleSize: wholeNumber(1, 1_000).default(20),
  })
  .strict();

const emailAddress = z.email();
/** An IAM user, or an STS assumed-role / federated-user session: what AWS reports as the caller of `backfill approve` (authorizer.iam.userArn). */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(?:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+|sts::\d{12}:(?:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+))$/;
/** The identity the CLI acts as on a local cloud (cli/identity.ts localIdentity); local has no IAM. */
const LOCAL_IDENTITY = /^local:[^\s/]+$/;
/** An approver decides through a signed link (an email address) or through `backfill approve` (the caller's IAM ARN, or `local:<user>` on a local cloud). */
const approverId = z.string({ error: 'must be a string' }).refine(
  (value) => emailAddress.safeParse(value).success || PRINCIPAL_ARN.test(value) || LOCAL_IDENTITY.test(value),
  { error: 'must be an email address ("alice@example.com"), an IAM user or assumed-role session ARN ("arn:aws:sts::123456789012:assumed-role/Approver/alice"), or a local identity ("local:alice")' },
);

/**
 * `approval`: who signs off the canary; only `approvers` is required.
 * @example
 *   ApprovalSchema.parse({ approvers: ['alice@example.com'] });
 *   // { approvers: ['alice@example.com'], quorum: 1, timeoutSeconds: 86400, preventSelfApproval: true, onRejection: 'keep-canary' }
 */
export const ApprovalSchema = z
  .object({
    approvers: z.array(approverId, { error: 'must be a list of 1–20 approvers (email addresses or IAM ARNs)' }).min(1, 'must name at least one approver').max(20, 'must name at most 20 approvers'),
    /** Distinct approvers whose approval releases the run. */
    quorum: wholeNumber(1, 20).default(1),
    /** How long RequestApproval waits (TimeoutSecondsPath); timing out counts as a rejection. */
    timeoutSeconds: wholeNumber(60, 31_536_000).default(86_400),
    /** Whether the principal who started the run is refused as an approver of it. */
    preventSelfApproval: z.boolean({ error: 'must be true or false' }).default(true),
    onRejection: z.enum(['keep-canary', 'rollback-canary'], { error: 'must be "keep-canary" or "rollback-canary"' }).default('keep-canary'),
  })
  .strict()
  .check((ctx) => {
    const { approvers, quorum } = ctx.value;
    if (!Array.isArray(approvers)) return;
    // Mail domains are case-insensitive and so, in practice, are mailboxes: Alice@ and alice@ are one person.
    const seen = new Map<string, number>();
    // One person under two identities (an address and an SSO session named by it) would count twice towards the quorum.
    const persons = new Map<string, number>();
    approvers.forEach((approver, i) => {
      if (typeof approver !== 'string') return;
      const first = seen.get(approver.toLowerCase());
      const person = personOf(approver);
      const samePerson = persons.get(person);
      if (first !== undefined) problemAt(ctx, ['approvers', i], approver, `repeats approvers[${first}]; list each approver once`);
      else if (samePerson !== undefined) problemAt(ctx, ['approvers', i], approver, `names the same person as approvers[${samePerson}] (${person}); one person counts once towards the quorum, list each person once`);
      seen.set(approver.toLowerCase(), first ?? i);
      persons.set(person, samePerson ?? i);
    });
    if (Number.isInteger(quorum) && approvers.length > 0 && quorum > approvers.length) {
      problemAt(ctx, ['quorum'], quorum, `must not be above the number of approvers (${approvers.length}); lower quorum or add approvers`);
    }
  });

/** A validated `rollout`; its canary has exactly one of `batches` and `percent`. */
export type Rollout = z.output<typeof RolloutSchema>;
/** A validated `validation`, `sampleSize` filled in. */
export type Validation = z.output<typeof ValidationSchema>;
/** A validated `approval`, every default filled in. */
export type Approval = z.output<typeof ApprovalSchema>;
