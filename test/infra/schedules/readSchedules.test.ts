import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSpec } from '../../../lambdas/lib/spec';
import { REPO_ROOT } from '../../../infra/paths';
import { InvalidSchedulesError, readSchedules } from '../../../infra/schedules';

const nightly = { name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', specFile: 'examples/orders-spec.json', flexibleWindowMinutes: 15 };
const exampleSpec = parseSpec(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples/orders-spec.json'), 'utf8')));

/** A directory holding one spec file per entry of `files`, removed after the tests. */
function specDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schedules-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** The message readSchedules throws for `raw`, failing the test if it throws none. */
function problemWith(raw: unknown, baseDir = REPO_ROOT): InvalidSchedulesError {
  try {
    readSchedules(raw, baseDir);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSchedulesError);
    return error as InvalidSchedulesError;
  }
  throw new Error('readSchedules accepted the schedules');
}

describe('readSchedules', () => {
  it('reads no schedules when the context has none', () => {
    expect(readSchedules(undefined, REPO_ROOT)).toEqual([]);
    expect(readSchedules([], REPO_ROOT)).toEqual([]);
  });

  it('reads each entry with its spec file parsed by the spec schema (defaults filled in)', () => {
    // WHEN
    const [schedule, ...rest] = readSchedules([nightly, { name: 'hourly', expression: 'rate(1 hour)', specFile: 'examples/orders-spec.json' }], REPO_ROOT);
    // THEN
    expect(rest).toHaveLength(1);
    expect(schedule).toEqual({ ...nightly, spec: exampleSpec });
    expect(rest[0]).toEqual({ name: 'hourly', expression: 'rate(1 hour)', specFile: 'examples/orders-spec.json', spec: exampleSpec });
  });

  it('reads the list from a JSON string, as `-c schedules=[...]` passes it', () => {
    expect(readSchedules(JSON.stringify([nightly]), REPO_ROOT).map((s) => s.name)).toEqual(['nightly-orders']);
  });

  it.each([
    ['rate(5 minutes)'],
    ['rate(1 day)'],
    ['cron(0/15 8-17 ? * MON-FRI *)'],
    ['cron(0 3 L * ? 2027)'],
    ['at(2026-12-24T18:30:00)'],
  ])('accepts the expression %s', (expression) => {
    expect(readSchedules([{ ...nightly, expression }], REPO_ROOT)[0]!.expression).toBe(expression);
  });

  it.each([
    ['a rate without its unit', 'rate(5)'],
    ['a rate of one in the plural', 'rate(1 hours)'],
    ['a rate of zero', 'rate(0 minutes)'],
    ['a rate in seconds', 'rate(30 seconds)'],
    ['a five-field cron', 'cron(0 6 * * *)'],
    ['a cron with both day fields set', 'cron(0 6 1 * MON *)'],
    ['a cron with neither day field "?"', 'cron(0 6 * * * *)'],
    ['an at() that is not a date-time', 'at(2026-12-24)'],
    ['an at() on no real day', 'at(2026-02-30T06:00:00)'],
    ['no known kind', 'every day at six'],
  ])('refuses %s, naming the schedule, the field and the value', (_what, expression) => {
    const error = problemWith([{ ...nightly, expression }]);
    expect(error.message).toContain(`schedules[0] "nightly-orders".expression: must be rate(N minutes|hours|days), cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)`);
    expect(error.message).toContain(JSON.stringify(expression));
    expect(error.problems).toEqual([expect.objectContaining({ schedule: 'nightly-orders', field: 'expression' })]);
  });

  it('refuses a duplicate name, naming both entries', () => {
    const error = problemWith([nightly, { ...nightly, expression: 'rate(1 day)' }]);
    expect(error.message).toContain('schedules[1] "nightly-orders".name: is also the name of schedules[0]; schedule names must be unique');
  });

  it.each([
    ['a name with a dot (runIds allow only A-Z a-z 0-9 _ -)', { name: 'nightly.orders' }, 'name: must be 1–59 of A-Z a-z 0-9 _ - (the runId is the name, "-" and the scheduled time, at most 80 characters), got "nightly.orders"'],
    ['a name too long for a runId', { name: 'n'.repeat(60) }, 'name: must be 1–59 of A-Z a-z 0-9 _ -'],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone: must be an IANA time zone such as "Europe/Berlin" or "UTC", got "Mars/Olympus"'],
    ['a time zone in the wrong case', { timezone: 'europe/berlin' }, 'timezone: must be spelled "Europe/Berlin", got "europe/berlin"'],
    ['a flexible window beyond a day', { flexibleWindowMinutes: 1441 }, 'flexibleWindowMinutes: must be a whole number of minutes, 1–1440, got number 1441'],
    ['a fractional flexible window', { flexibleWindowMinutes: 2.5 }, 'flexibleWindowMinutes: must be a whole number of minutes, 1–1440, got number 2.5'],
    ['an unknown field', { spec: {} }, '"nightly-orders".spec: is not a known field (known: name, expression, timezone, specFile, flexibleWindowMinutes)'],
    ['an absolute spec file', { specFile: '/etc/spec.json' }, 'specFile: must be a path relative to the repository root, got "/etc/spec.json"'],
    ['a missing spec file', { specFile: 'examples/missing.json' }, `specFile: no file at ${path.join(REPO_ROOT, 'examples/missing.json')}`],
  ])('refuses %s', (_what, change, message) => {
    expect(problemWith([{ ...nightly, ...change }]).message).toContain(message);
  });

  it('refuses an entry with no name or expression, naming it by its position', () => {
    const error = problemWith([{ specFile: 'examples/orders-spec.json' }]);
    expect(error.message).toContain('schedules[0].name: is required');
    expect(error.message).toContain('schedules[0].expression: is required');
  });

  it.each([
    ['an object', { nightly }, 'schedules must be a list of schedules, got an object; use a JSON array in cdk.json or -c schedules=\'[...]\''],
    ['broken JSON', '[{"name":', 'schedules is not valid JSON'],
  ])('refuses a context value that is %s', (_what, raw, message) => {
    expect(() => readSchedules(raw, REPO_ROOT)).toThrow(message);
  });

  it('refuses a spec file the spec schema refuses, naming the schedule, the file and the spec field', () => {
    // GIVEN a spec with a batch size of zero
    const spec = { ...JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples/orders-spec.json'), 'utf8')), batchSize: 0 };
    const dir = specDir({ 'bad.json': JSON.stringify(spec) });
    // WHEN / THEN
    const error = problemWith([{ ...nightly, specFile: 'bad.json' }], dir);
    expect(error.message).toMatch(/schedules\[0\] "nightly-orders"\.specFile: bad\.json is not a valid spec: spec\.batchSize: .*got number 0/);
    expect(error.problems[0]).toMatchObject({ schedule: 'nightly-orders', field: 'specFile' });
  });

  it('refuses a spec naming a transform that is not registered', () => {
    const spec = { ...JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples/orders-spec.json'), 'utf8')), transform: 'order-summary@9' };
    const dir = specDir({ 'future.json': JSON.stringify(spec) });
    expect(problemWith([{ ...nightly, specFile: 'future.json' }], dir).message).toContain('spec.transform: no transform "order-summary@9" is registered');
  });

  it('refuses a spec file that is not JSON, and one that pins a runId (a schedule derives it)', () => {
    const dir = specDir({ 'broken.json': '{"jobName": ', 'pinned.json': JSON.stringify({ ...exampleSpec, runId: 'fixed' }) });
    const error = problemWith([{ ...nightly, specFile: 'broken.json' }, { ...nightly, name: 'pinned', specFile: 'pinned.json' }], dir);
    expect(error.message).toContain('schedules[0] "nightly-orders".specFile: broken.json is not a valid spec: not valid JSON');
    expect(error.message).toContain('schedules[1] "pinned".specFile: pinned.json is not a valid spec: spec.runId: is not a known field');
  });

  it('lists every problem of every entry in one error', () => {
    const error = problemWith([{ ...nightly, expression: 'rate(5)' }, { ...nightly, name: 'other', timezone: 'Nowhere' }]);
    expect(error.problems.map((p) => `${p.schedule}.${p.field}`)).toEqual(['nightly-orders.expression', 'other.timezone']);
    expect(error.message).toMatch(/^schedules is invalid \(2 problems\); fix them in cdk\.json context "schedules":\n/);
  });
});
