import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'constructs';
import { z } from 'zod';
import { BreakerThresholdsError, resolveBreakerThresholds, type BreakerThresholdOverrides } from '../lambdas/lib/health';
import type { AccessControl, Approver, Operator } from './constructs';
import { BackfillConfigError } from './errors';
import { REPO_ROOT } from './paths';
import { readSchedules, type ScheduleDefinition } from './schedules';

// Same rules as the spec schema (lambdas/lib/spec/SpecSchema.ts) so that a name accepted here is
// one a spec can name.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// CloudWatch refuses control characters in alarm names.
const ALARM_NAME = /^[^\u0000-\u001f]{1,255}$/;
// From one minute (an alarm's shortest OK that is more than a blip) to one week.
const AUTO_CLOSE_SECONDS = { min: 60, max: 604_800 } as const;

/** The deployment settings read from CDK context (cdk.json, or `-c key=value` on the command line). */
export interface BackfillConfig {
  /** Context `targetTableNames`: existing DynamoDB tables runs may write to (at least one). */
  readonly targetTableNames: readonly string[];
  /** Context `extraSourceBucketNames`: existing buckets runs may read source records from. */
  readonly extraSourceBucketNames: readonly string[];
  /** Context `createDemoTargetTable`: create the demo target table instead of importing it. */
  readonly createDemoTargetTable: boolean;
  /** Context `codeVersion`: pinned on every run record. */
  readonly codeVersion: string;
  /** Context `snapshotRetentionDays`: how long snapshots are kept (the rollback window); unset means the stack's default. */
  readonly snapshotRetentionDays?: number;
  /** Context `schedules`: EventBridge Scheduler schedules that start runs, each spec file validated (see infra/schedules). */
  readonly schedules: readonly ScheduleDefinition[];
  /** Context `accessControl`: `policies` (default) or `roles` (also one assumable role per persona). */
  readonly accessControl: AccessControl;
  /** Context `approvers`: `[{ "email": "alice@example.com" }]`, each subscribed by email to the approval topic (their own links only). */
  readonly approvers: readonly Approver[];
  /** Context `operators`: `[{ "email": "oncall@example.com" }]`, each subscribed by email to the operations topic (breaker opened, run paused). */
  readonly operators: readonly Operator[];
  /** Context `breakerThresholds`: per signal, the fields that replace DEFAULT_BREAKER_THRESHOLDS', e.g. `{ "dynamoDbThrottles": { "threshold": 20 } }`. */
  readonly breakerThresholds: BreakerThresholdOverrides;
  /** Context `breakerAdoptedAlarms`: names of existing CloudWatch alarms that also open the breaker. */
  readonly breakerAdoptedAlarms: readonly string[];
  /** Context `breakerAutoCloseAfterSeconds`: close the breaker after its composite alarm was OK this long; unset means only an operator closes it. */
  readonly breakerAutoCloseAfterSeconds?: number;
}

const ACCESS_CONTROL: readonly AccessControl[] = ['policies', 'roles'];

/**
 * Reads and validates the stack's settings from CDK context.
 *
 * Lists may be JSON arrays (cdk.json), or strings from the command line: `-c targetTableNames=a,b`
 * or `-c 'targetTableNames=["a","b"]'`.
 *
 * @example
 *   const config = readBackfillConfig(app.node);
 *   new BackfillStack(app, 'BackfillOrchestrator', config);
 */
export function readBackfillConfig(node: Node): BackfillConfig {
  const targetTableNames = readNameList(node, 'targetTableNames', TABLE_NAME, 'a DynamoDB table name (3–255 of A-Z a-z 0-9 _ - .)');
  if (targetTableNames.length === 0) {
    throw new BackfillConfigError('targetTableNames', 'must name at least one target table; set it in cdk.json context or pass -c targetTableNames=my-table');
  }
  return {
    targetTableNames,
    extraSourceBucketNames: readNameList(node, 'extraSourceBucketNames', BUCKET_NAME, 'an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)'),
    createDemoTargetTable: readBoolean(node, 'createDemoTargetTable'),
    codeVersion: readString(node, 'codeVersion') ?? packageVersion(),
    snapshotRetentionDays: readDays(node, 'snapshotRetentionDays'),
    schedules: readSchedules(node.tryGetContext('schedules'), REPO_ROOT),
    accessControl: readAccessControl(node, 'accessControl'),
    approvers: readPeople(node, 'approvers', 'approver'),
    operators: readPeople(node, 'operators', 'operator'),
    breakerThresholds: readBreakerThresholds(node, 'breakerThresholds'),
    breakerAdoptedAlarms: readNameList(node, 'breakerAdoptedAlarms', ALARM_NAME, 'a CloudWatch alarm name (1–255 characters, no control characters)'),
    breakerAutoCloseAfterSeconds: readAutoCloseSeconds(node, 'breakerAutoCloseAfterSeconds'),
  };
}

/** The `version` in the repository's package.json: the default code version of a deployment. */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || pkg.version === '') {
    throw new BackfillConfigError('codeVersion', 'was not set and package.json has no version; pass -c codeVersion=1.2.3');
  }
  return pkg.version;
}

function readNameList(node: Node, key: string, pattern: RegExp, what: string): string[] {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return [];
  let list: unknown = raw;
  if (typeof raw === 'string') {
    list = raw.trim().startsWith('[') ? parseJson(key, raw) : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  if (!Array.isArray(list)) {
    throw new BackfillConfigError(key, `must be a list of names, got ${JSON.stringify(raw)}; use a JSON array in cdk.json or -c ${key}=a,b`);
  }
  for (const name of list) {
    if (typeof name !== 'string' || !pattern.test(name)) {
      throw new BackfillConfigError(key, `entries must each be ${what}, got ${JSON.stringify(name)}`);
    }
  }
  return [...new Set(list as string[])];
}

function readBoolean(node: Node, key: string): boolean {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === false || raw === 'false') return false;
  if (raw === true || raw === 'true') return true;
  throw new BackfillConfigError(key, `must be true or false, got ${JSON.stringify(raw)}`);
}

function readDays(node: Node, key: string): number | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null) return undefined;
  const days = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1) {
    throw new BackfillConfigError(key, `must be a whole number of days, at least 1, got ${JSON.stringify(raw)}`);
  }
  return days;
}

function readAccessControl(node: Node, key: string): AccessControl {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null) return 'policies';
  if (ACCESS_CONTROL.includes(raw as AccessControl)) return raw as AccessControl;
  throw new BackfillConfigError(key, `must be "policies" (managed policies to attach) or "roles" (also one role per persona), got ${JSON.stringify(raw)}`);
}

const APPROVER_EMAIL = 'must be an email address, e.g. "alice@example.com"';
const ApproverSchema = z.object({ email: z.email({ error: APPROVER_EMAIL }) }, { error: 'must be an object { "email": "..." }' }).strict();

function readBreakerThresholds(node: Node, key: string): BreakerThresholdOverrides {
  return breakerThresholdOverridesFrom(node.tryGetContext(key), key);
}

/**
 * Context `breakerThresholds` as given (a JSON object, or its text from `-c`), checked as the
 * stack checks it: what `cdk synth` and the local cloud both read.
 * @throws BackfillConfigError naming every bad field
 * @example
 *   breakerThresholdOverridesFrom({ dynamoDbThrottles: { threshold: 20 } }); // { dynamoDbThrottles: { threshold: 20 } }
 */
export function breakerThresholdOverridesFrom(raw: unknown, key = 'breakerThresholds'): BreakerThresholdOverrides {
  if (raw === undefined || raw === null || raw === '') return {};
  const overrides = typeof raw === 'string' ? parseJson(key, raw) : raw;
  try {
    resolveBreakerThresholds(overrides);
  } catch (cause) {
    if (!(cause instanceof BreakerThresholdsError)) throw cause;
    throw new BackfillConfigError(key, `are invalid: ${cause.problems.join('; ')}; fix them in cdk.json context or -c 'breakerThresholds={...}'`, { cause });
  }
  return overrides as BreakerThresholdOverrides;
}

function readAutoCloseSeconds(node: Node, key: string): number | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < AUTO_CLOSE_SECONDS.min || seconds > AUTO_CLOSE_SECONDS.max) {
    throw new BackfillConfigError(key, `must be a whole number of seconds from ${AUTO_CLOSE_SECONDS.min} to ${AUTO_CLOSE_SECONDS.max}, got ${JSON.stringify(raw)}; leave it unset to close the breaker only by hand`);
  }
  return seconds;
}

// Every bad entry is named at once (index, field, value seen); the same address twice is refused,
// as it would be two subscriptions receiving the same messages.
function readPeople(node: Node, key: string, person: string): Approver[] {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return [];
  const list = typeof raw === 'string' ? parseJson(key, raw) : raw;
  if (!Array.isArray(list)) {
    throw new BackfillConfigError(key, `must be a list of { "email": "..." }, got ${JSON.stringify(list)}; use a JSON array in cdk.json or -c 'approvers=[{"email":"alice@example.com"}]'`);
  }
  const problems: string[] = [];
  const approvers: Approver[] = [];
  const firstIndexOf = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const parsed = ApproverSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const fields = issue.code === 'unrecognized_keys' ? issue.keys : issue.path.map(String);
        const message = issue.code === 'unrecognized_keys' ? 'is not a known field (known: email)' : issue.message;
        for (const field of fields.length > 0 ? fields : ['']) {
          const value = field === '' ? entry : (entry as Record<string, unknown>)[field];
          problems.push(`[${index}]${field === '' ? '' : `.${field}`} ${message}, got ${JSON.stringify(value)}`);
        }
      }
      return;
    }
    const first = firstIndexOf.get(parsed.data.email);
    if (first !== undefined) problems.push(`[${index}].email repeats [${first}] ${JSON.stringify(parsed.data.email)}; list each ${person} once`);
    else {
      firstIndexOf.set(parsed.data.email, index);
      approvers.push(parsed.data);
    }
  });
  if (problems.length > 0) throw new BackfillConfigError(key, `entries are invalid: ${problems.join('; ')}; fix them in cdk.json context or -c 'approvers=[...]'`);
  return approvers;
}

function readString(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new BackfillConfigError(key, `must be a non-empty string, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function parseJson(key: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BackfillConfigError(key, `is not valid JSON: ${text}`, { cause });
  }
}
