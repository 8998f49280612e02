import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { SpecSchema, type Spec } from './SpecSchema';
import { InvalidSpecError, type SpecProblem } from './errors';
import { canonicalJson } from '../canonicalJson';

function fieldOf(path: readonly PropertyKey[]): string {
  return ['spec', ...path.map(String)].join('.');
}

function describeIssue(issue: z.core.$ZodIssue): SpecProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: fieldOf([...issue.path, key]),
      message: 'is not a known field; remove it or check its spelling',
    }));
  }
  return [{ field: fieldOf(issue.path), message: readableMessage(issue) }];
}

// zod's own wording ("Invalid input: expected string, received undefined") is replaced where we
// wrote no message of our own.
function readableMessage(issue: z.core.$ZodIssue): string {
  if (!issue.message.startsWith('Invalid input')) {
    return issue.input === undefined || typeof issue.input === 'object' ? issue.message : `${issue.message}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? 'is required' : `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === 'invalid_value') return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(issue.input)}`;
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export interface ParseSpecOptions {
  /** Extra checks on a structurally valid spec (e.g. that the transform is registered). */
  readonly check?: (spec: Spec) => SpecProblem[];
}

/**
 * Validates an execution input as a backfill spec and fills in defaults.
 * @throws InvalidSpecError naming every bad field.
 * @example
 *   const spec = parseSpec(JSON.parse(fs.readFileSync('examples/orders-spec.json', 'utf8')));
 */
export function parseSpec(input: unknown, options: ParseSpecOptions = {}): Spec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidSpecError([{ field: 'spec', message: `must be a JSON object, got ${input === undefined ? 'nothing' : describeValue(input)}` }]);
  }
  const result = SpecSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new InvalidSpecError(result.error.issues.flatMap(describeIssue));
  const problems = options.check?.(result.data) ?? [];
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return result.data;
}

/** sha256 of the normalized spec: equal specs (after defaults) hash equal whatever their key order. */
export function specHash(spec: Spec): string {
  return createHash('sha256').update(canonicalJson(spec)).digest('hex');
}
