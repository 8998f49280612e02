import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { parseSpec, parseSpecText, InvalidSpecError, SpecError, type Spec } from '../../lambdas/lib/spec';
import { registryProblems } from '../../lambdas/lib/spec/validateExecutionInput';
import { BackfillConfigError } from '../errors';
import { InvalidSchedulesError, type ScheduleProblem } from './errors';
import { ScheduleEntrySchema, type ScheduleEntry } from './ScheduleEntrySchema';

/** One schedule of the stack: its entry in the `schedules` setting and the spec its runs start with. */
export interface ScheduleDefinition extends ScheduleEntry {
  /** The spec file's content, validated with the spec schema (defaults filled in). */
  readonly spec: Spec;
}

const KNOWN_FIELDS = Object.keys(ScheduleEntrySchema.shape).join(', ');

/**
 * Reads and validates the `schedules` setting (cdk.json context, or `-c schedules='[...]'`): each
 * entry's fields, unique names, and its spec file, parsed with the spec schema as ValidateSpec
 * would parse the execution input (a spec that would fail every run fails synth instead).
 *
 * @param raw the context value: a list, a JSON text of one, or nothing (no schedules)
 * @param baseDir what `specFile` paths are relative to: the repository root
 * @throws InvalidSchedulesError naming every bad field of every entry (schedule, field, value);
 *   BackfillConfigError when `raw` is not a list at all.
 * @example
 *   const schedules = readSchedules(app.node.tryGetContext('schedules'), REPO_ROOT);
 *   // [{ name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', specFile: 'examples/orders-spec.json', spec: {...} }]
 */
export function readSchedules(raw: unknown, baseDir: string): ScheduleDefinition[] {
  const entries = listOf(raw);
  const problems: ScheduleProblem[] = [];
  const schedules: ScheduleDefinition[] = [];
  const firstIndexOf = new Map<string, number>();
  entries.forEach((entry, index) => {
    const name = nameOf(entry);
    const where = name === undefined ? `schedules[${index}]` : `schedules[${index}] ${JSON.stringify(name)}`;
    const report = (field: string, message: string) => problems.push({ schedule: name ?? `schedules[${index}]`, field, message, where });

    const parsed = ScheduleEntrySchema.safeParse(entry, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) describeIssue(issue).forEach(({ field, message }) => report(field, message));
      return;
    }
    const first = firstIndexOf.get(parsed.data.name);
    if (first !== undefined) report('name', `is also the name of schedules[${first}]; schedule names must be unique`);
    else firstIndexOf.set(parsed.data.name, index);

    const read = readSpecFile(parsed.data.specFile, baseDir);
    if ('problem' in read) report('specFile', read.problem);
    else if (first === undefined) schedules.push({ ...parsed.data, spec: read.spec });
  });
  if (problems.length > 0) throw new InvalidSchedulesError(problems);
  return schedules;
}

// An entry's name as given, if it has one at all: problems are named by it even when it is invalid.
function nameOf(entry: unknown): string | undefined {
  const name: unknown = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).name : undefined;
  return typeof name === 'string' ? name : undefined;
}

function listOf(raw: unknown): unknown[] {
  if (raw === undefined || raw === null || raw === '') return [];
  let list = raw;
  if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch (cause) {
      throw new BackfillConfigError('schedules', `is not valid JSON: ${raw}`, { cause });
    }
  }
  if (!Array.isArray(list)) {
    throw new BackfillConfigError('schedules', `must be a list of schedules, got ${describeValue(list)}; use a JSON array in cdk.json or -c schedules='[...]'`);
  }
  return list;
}

// The spec as a run would see it, or what keeps the file from being one.
function readSpecFile(specFile: string, baseDir: string): { spec: Spec } | { problem: string } {
  if (path.isAbsolute(specFile)) return { problem: `must be a path relative to the repository root, got ${JSON.stringify(specFile)}` };
  const file = path.resolve(baseDir, specFile);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? `no file at ${file}` : `cannot be read (${code ?? String(error)}): ${file}` };
  }
  try {
    return { spec: parseSpec(parseSpecText(bytes), { check: registryProblems }) };
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    const details = error instanceof InvalidSpecError ? error.problems.map((p) => `${p.field}: ${p.message}`).join('; ') : error.message;
    return { problem: `${specFile} is not a valid spec: ${details}` };
  }
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string }[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key, message: `is not a known field (known: ${KNOWN_FIELDS})` }));
  return [{ field: issue.path.map(String).join('.'), message: readableMessage(issue) }];
}

// zod's own wording ("Invalid input: expected string, received undefined") is replaced; our
// messages get the value seen, unless a check wrote it in already (custom issues).
function readableMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, got ${describeValue(issue.input)}`;
  }
  if (issue.code === 'custom' || issue.input === undefined) return issue.message;
  return `${issue.message}, got ${describeValue(issue.input)}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
