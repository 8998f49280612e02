import { z } from 'zod';
import { FaultSpecError } from './errors';

/** Faults the proxy injects into the requests naming a target table. */
export interface FaultSpec {
  /** Share of those requests answered with DynamoDB's ProvisionedThroughputExceededException (400), 0–1. */
  readonly throttle: number;
  /** Share answered with DynamoDB's InternalServerError (500), 0–1; throttle + errors ≤ 1. */
  readonly errors: number;
  /** Delay added to each of those requests before it is answered or forwarded, in milliseconds. */
  readonly latencyMs: number;
  /** Seed of the draws that pick which requests fail (the same seed, the same sequence). */
  readonly seed: number;
}

export const DEFAULT_FAULT_SEED = 12;
const MAX_LATENCY_MS = 60_000;

const PROBABILITY = /^(?:0|1|0?\.[0-9]+|[01]\.[0-9]+)$/;
const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s)$/;

const probability = (key: string) =>
  z.string().transform((text, ctx) => {
    const value = PROBABILITY.test(text) ? Number(text) : Number.NaN;
    if (value >= 0 && value <= 1) return value;
    ctx.addIssue({ code: 'custom', message: `${key} must be a share of requests from 0 to 1 (e.g. 0.2), got ${JSON.stringify(text)}` });
    return z.NEVER;
  });

const duration = z.string().transform((text, ctx) => {
  const match = DURATION.exec(text);
  const ms = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : Number.NaN;
  if (ms >= 0 && ms <= MAX_LATENCY_MS) return Math.round(ms);
  ctx.addIssue({ code: 'custom', message: `latency must be a duration with its unit from 0ms to ${MAX_LATENCY_MS / 1000}s (e.g. 50ms or 1.5s), got ${JSON.stringify(text)}` });
  return z.NEVER;
});

const seed = z.string().transform((text, ctx) => {
  if (/^[0-9]{1,10}$/.test(text) && Number(text) <= 0xffffffff) return Number(text);
  ctx.addIssue({ code: 'custom', message: `seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(text)}` });
  return z.NEVER;
});

/** The key=value pairs of `--inject-faults`, each value still text. */
const FaultPairsSchema = z
  .object({ throttle: probability('throttle').optional(), errors: probability('errors').optional(), latency: duration.optional(), seed: seed.optional() })
  .strict()
  .transform(
    (pairs): FaultSpec => ({ throttle: pairs.throttle ?? 0, errors: pairs.errors ?? 0, latencyMs: pairs.latency ?? 0, seed: pairs.seed ?? DEFAULT_FAULT_SEED }),
  )
  .superRefine((spec, ctx) => {
    if (spec.throttle + spec.errors > 1) ctx.addIssue({ code: 'custom', message: `throttle + errors must be at most 1 (one draw decides each request), got ${spec.throttle} + ${spec.errors}` });
  });

const KNOWN_KEYS = 'throttle, errors, latency, seed';

/**
 * Parses `--inject-faults` text: comma-separated `key=value` pairs, keys `throttle` (share of
 * target requests throttled), `errors` (share answered with a 500), `latency` (added delay, with
 * its unit) and `seed`. Every key is optional; at least one pair must be given.
 * @throws FaultSpecError naming every problem (unknown or repeated key, bad value, shares above 1)
 * @example
 *   parseFaultSpec('throttle=0.2,latency=50ms,errors=0.01');
 *   // { throttle: 0.2, errors: 0.01, latencyMs: 50, seed: 12 }
 */
export function parseFaultSpec(text: string): FaultSpec {
  const problems: string[] = [];
  const pairs: Record<string, string> = {};
  const parts = text.split(',').map((part) => part.trim());
  if (text.trim() === '') problems.push('it is empty');
  else {
    for (const part of parts) {
      const equals = part.indexOf('=');
      if (equals <= 0) {
        problems.push(part === '' ? 'it has an empty pair (two commas, or one at an end)' : `${JSON.stringify(part)} is not key=value`);
        continue;
      }
      const key = part.slice(0, equals).trim();
      if (key in pairs) problems.push(`${key} is given twice`);
      else pairs[key] = part.slice(equals + 1).trim();
    }
  }
  const parsed = FaultPairsSchema.safeParse(pairs);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') problems.push(...issue.keys.map((key) => `${JSON.stringify(key)} is not a fault (known: ${KNOWN_KEYS})`));
      else problems.push(issue.message);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new FaultSpecError(text, problems);
  return parsed.data;
}

/**
 * The spec as `--inject-faults` text (what `local up` and `npm start` print).
 * @example
 *   describeFaultSpec({ throttle: 0.5, errors: 0, latencyMs: 0, seed: 12 }); // 'throttle=0.5 (seed 12)'
 */
export function describeFaultSpec(spec: FaultSpec): string {
  const parts = [spec.throttle > 0 ? `throttle=${spec.throttle}` : '', spec.errors > 0 ? `errors=${spec.errors}` : '', spec.latencyMs > 0 ? `latency=${spec.latencyMs}ms` : ''].filter(Boolean);
  return `${parts.length > 0 ? parts.join(',') : 'no faults'} (seed ${spec.seed})`;
}
