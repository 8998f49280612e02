import { z } from 'zod';
import { BreakerThresholdsError } from './errors';

/** When one signal trips its alarm: `threshold` reached (or passed) in `datapointsToAlarm` of the last `evaluationPeriods` periods. */
export interface SignalThreshold {
  /** The value that breaches (a count per period; for writeLatency, milliseconds). */
  readonly threshold: number;
  /** 10, 30 or 60 for the workers' high-resolution metrics; 60 for AWS's own (per-minute) metrics. */
  readonly periodSeconds: 10 | 30 | 60;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** The health signals under the breaker: the workers' own metrics (EMF), then AWS's. */
export type BreakerSignal =
  | 'batchesFailed'
  | 'recordsRejected'
  | 'dynamoDbThrottles'
  | 'writeLatency'
  | 'workerErrors'
  | 'workerThrottles'
  | 'targetWriteThrottles';

/** Every signal's threshold. */
export type BreakerThresholds = Readonly<Record<BreakerSignal, SignalThreshold>>;

/** Some fields of some signals, as stack props or context give them; the rest keep their defaults. */
export type BreakerThresholdOverrides = { readonly [S in BreakerSignal]?: Partial<SignalThreshold> };

/**
 * The defaults, each chosen to trip on harm the write-rate controller could not cure, not on one bad moment:
 * - batchesFailed: 5 failed batch attempts in one minute;
 * - recordsRejected: 100 malformed source records in one minute;
 * - dynamoDbThrottles: 50 throttled target writes per 10 s, for 30 s (3 of 3) — the controller halves
 *   the concurrency on the first throttles, so this is throttling that outlasted it;
 * - writeLatency: a batch median write latency of 500 ms at p99, in 2 of 3 periods of 30 s;
 * - workerErrors / workerThrottles: 5 worker invocations failed / throttled per minute, in 2 of 3 minutes;
 * - targetWriteThrottles: 100 WriteThrottleEvents per minute on a target table (the live service's
 *   writes included: this is the backfill hurting live traffic), in 2 of 3 minutes.
 */
export const DEFAULT_BREAKER_THRESHOLDS: BreakerThresholds = {
  batchesFailed: { threshold: 5, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
  recordsRejected: { threshold: 100, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
  dynamoDbThrottles: { threshold: 50, periodSeconds: 10, evaluationPeriods: 3, datapointsToAlarm: 3 },
  writeLatency: { threshold: 500, periodSeconds: 30, evaluationPeriods: 3, datapointsToAlarm: 2 },
  workerErrors: { threshold: 5, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 },
  workerThrottles: { threshold: 5, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 },
  targetWriteThrottles: { threshold: 100, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2 },
};

/** AWS's own metrics (Lambda, DynamoDB) are per minute: a shorter period would see no data. */
const AWS_SIGNALS: ReadonlySet<BreakerSignal> = new Set(['workerErrors', 'workerThrottles', 'targetWriteThrottles']);

// CloudWatch refuses an alarm whose evaluation range (periods x period) exceeds one day.
const MAX_EVALUATION_SECONDS = 86_400;

const SIGNALS = Object.keys(DEFAULT_BREAKER_THRESHOLDS) as BreakerSignal[];

const OverrideSchema = z
  .object({
    threshold: z.number().min(0),
    periodSeconds: z.union([z.literal(10), z.literal(30), z.literal(60)], { error: 'must be 10, 30 or 60' }),
    evaluationPeriods: z.number().int().min(1),
    datapointsToAlarm: z.number().int().min(1),
  })
  .partial()
  .strict();

const OverridesSchema = z.object(Object.fromEntries(SIGNALS.map((signal) => [signal, z.unknown()]))).partial().strict();

/**
 * The thresholds with `overrides` applied over {@link DEFAULT_BREAKER_THRESHOLDS}, checked as
 * CloudWatch would check the alarms (period, datapoints ≤ periods, at most a day evaluated).
 * @throws BreakerThresholdsError naming every bad field, the value seen and the rule.
 * @example
 *   resolveBreakerThresholds({ dynamoDbThrottles: { threshold: 20 } }).dynamoDbThrottles;
 *   // { threshold: 20, periodSeconds: 10, evaluationPeriods: 3, datapointsToAlarm: 3 }
 */
export function resolveBreakerThresholds(overrides: unknown = {}): BreakerThresholds {
  const given = OverridesSchema.safeParse(overrides ?? {});
  if (!given.success) throw new BreakerThresholdsError(given.error.issues.map((issue) => problemOf(issue, [], overrides)));
  const problems: string[] = [];
  const resolved = {} as Record<BreakerSignal, SignalThreshold>;
  for (const signal of SIGNALS) {
    const override = OverrideSchema.safeParse(given.data[signal] ?? {});
    if (!override.success) problems.push(...override.error.issues.map((issue) => problemOf(issue, [signal], given.data[signal])));
    else {
      resolved[signal] = { ...DEFAULT_BREAKER_THRESHOLDS[signal], ...override.data };
      problems.push(...problemsOf(signal, resolved[signal]));
    }
  }
  if (problems.length > 0) throw new BreakerThresholdsError(problems);
  return resolved;
}

function problemOf(issue: z.core.$ZodIssue, prefix: readonly string[], value: unknown): string {
  const at = [...prefix, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = prefix.length === 0 ? SIGNALS.join(', ') : 'threshold, periodSeconds, evaluationPeriods, datapointsToAlarm';
    return `${at === '' ? '' : `${at}.`}${issue.keys.join(', ')} is not known (known: ${known})`;
  }
  return `${at === '' ? '(thresholds)' : at} ${issue.message}, got ${JSON.stringify(valueAt(value, issue.path))}`;
}

function problemsOf(signal: BreakerSignal, t: SignalThreshold): string[] {
  const problems: string[] = [];
  if (AWS_SIGNALS.has(signal) && t.periodSeconds !== 60) problems.push(`${signal}.periodSeconds must be 60 (AWS publishes this metric per minute), got ${t.periodSeconds}`);
  if (t.datapointsToAlarm > t.evaluationPeriods) problems.push(`${signal}.datapointsToAlarm must be at most evaluationPeriods (${t.evaluationPeriods}), got ${t.datapointsToAlarm}`);
  if (t.evaluationPeriods * t.periodSeconds > MAX_EVALUATION_SECONDS) {
    problems.push(`${signal}.evaluationPeriods x periodSeconds must be at most ${MAX_EVALUATION_SECONDS} s (one day), got ${t.evaluationPeriods} x ${t.periodSeconds}`);
  }
  return problems;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), value);
}
