import { App } from 'aws-cdk-lib';
import { readBackfillConfig } from '../../infra/config';
import { BackfillConfigError } from '../../infra/errors';
import { cdkJsonContext } from './support/synthBackfillStack';

const configFrom = (context: Record<string, unknown>) => readBackfillConfig(new App({ context }).node);

describe('readBackfillConfig', () => {
  it('reads the defaults in cdk.json: target order-summaries, no extra buckets, no demo table, package version', () => {
    expect(configFrom(cdkJsonContext())).toEqual({
      targetTableNames: ['order-summaries'],
      extraSourceBucketNames: [],
      createDemoTargetTable: false,
      codeVersion: '0.1.0',
      schedules: [],
      accessControl: 'policies',
      approvers: [],
      operators: [],
      breakerThresholds: {},
      breakerAdoptedAlarms: [],
      breakerAutoCloseAfterSeconds: undefined,
    });
  });

  it('reads the operators, the breaker\'s thresholds, adopted alarms and auto-close from context (JSON or strings from -c)', () => {
    const operators = [{ email: 'oncall@example.com' }];
    const config = configFrom({
      targetTableNames: 't-1',
      operators: JSON.stringify(operators),
      breakerThresholds: '{"dynamoDbThrottles":{"threshold":20}}',
      breakerAdoptedAlarms: '["orders-api p99 latency","orders-api 5xx"]',
      breakerAutoCloseAfterSeconds: '900',
    });
    expect(config).toMatchObject({
      operators,
      breakerThresholds: { dynamoDbThrottles: { threshold: 20 } },
      breakerAdoptedAlarms: ['orders-api p99 latency', 'orders-api 5xx'],
      breakerAutoCloseAfterSeconds: 900,
    });
  });

  it('reads the approvers from context (a list, or a JSON string from -c)', () => {
    const approvers = [{ email: 'alice@example.com' }, { email: 'bob@example.com' }];
    expect(configFrom({ targetTableNames: 't-1', approvers }).approvers).toEqual(approvers);
    expect(configFrom({ targetTableNames: 't-1', approvers: JSON.stringify(approvers) }).approvers).toEqual(approvers);
  });

  it('reads the schedules from context (a list, or a JSON string from -c), each with its spec file parsed', () => {
    const entry = { name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', specFile: 'examples/orders-spec.json' };
    expect(configFrom({ targetTableNames: 't-1', schedules: [entry] }).schedules).toEqual([expect.objectContaining({ ...entry, spec: expect.objectContaining({ jobName: 'orders-fix-rounding' }) })]);
    expect(configFrom({ targetTableNames: 't-1', schedules: JSON.stringify([entry]) }).schedules.map((s) => s.name)).toEqual(['nightly-orders']);
  });

  it('refuses a schedule whose spec file is invalid, naming the schedule and the field (cdk synth fails)', () => {
    const context = { targetTableNames: 't-1', schedules: [{ name: 'nightly-orders', expression: 'rate(1 day)', specFile: 'package.json' }] };
    expect(() => configFrom(context)).toThrow(BackfillConfigError);
    expect(() => configFrom(context)).toThrow('schedules[0] "nightly-orders".specFile: package.json is not a valid spec: spec.jobName: is required');
  });

  it('reads accessControl "roles"', () => {
    expect(configFrom({ targetTableNames: 't-1', accessControl: 'roles' }).accessControl).toBe('roles');
  });

  it('accepts lists as JSON arrays, JSON strings or comma-separated strings (from -c), dropping repeats', () => {
    expect(configFrom({ targetTableNames: ['a-table', 'b-table'] }).targetTableNames).toEqual(['a-table', 'b-table']);
    expect(configFrom({ targetTableNames: '["a-table","b-table"]' }).targetTableNames).toEqual(['a-table', 'b-table']);
    expect(configFrom({ targetTableNames: 'a-table, b-table,a-table' }).targetTableNames).toEqual(['a-table', 'b-table']);
    expect(configFrom({ targetTableNames: 't-1', extraSourceBucketNames: 'raw-orders,partner.exports' }).extraSourceBucketNames).toEqual(['raw-orders', 'partner.exports']);
  });

  it('accepts snapshotRetentionDays as a number or a string of one (from -c), and leaves it unset by default', () => {
    expect(configFrom({ targetTableNames: 't-1', snapshotRetentionDays: 90 }).snapshotRetentionDays).toBe(90);
    expect(configFrom({ targetTableNames: 't-1', snapshotRetentionDays: '14' }).snapshotRetentionDays).toBe(14);
    expect(configFrom({ targetTableNames: 't-1' }).snapshotRetentionDays).toBeUndefined();
  });

  it('accepts createDemoTargetTable as a boolean or the strings "true"/"false", and a codeVersion override', () => {
    expect(configFrom({ targetTableNames: 't-1', createDemoTargetTable: 'true' }).createDemoTargetTable).toBe(true);
    expect(configFrom({ targetTableNames: 't-1', createDemoTargetTable: false }).createDemoTargetTable).toBe(false);
    expect(configFrom({ targetTableNames: 't-1', codeVersion: 'git-3f2a1c9' }).codeVersion).toBe('git-3f2a1c9');
  });

  it.each([
    ['no target table', {}, 'targetTableNames must name at least one target table'],
    ['an empty target list', { targetTableNames: [] }, 'targetTableNames must name at least one target table'],
    ['a bad table name', { targetTableNames: ['ok-table', 'no spaces'] }, 'targetTableNames entries must each be a DynamoDB table name (3–255 of A-Z a-z 0-9 _ - .), got "no spaces"'],
    ['a bad bucket name', { targetTableNames: 't-1', extraSourceBucketNames: ['Upper_Case'] }, 'extraSourceBucketNames entries must each be an S3 bucket name'],
    ['a list that is not a list', { targetTableNames: { a: 1 } }, 'targetTableNames must be a list of names, got {"a":1}'],
    ['broken JSON', { targetTableNames: '["a-table"' }, 'targetTableNames is not valid JSON'],
    ['a non-boolean demo flag', { targetTableNames: 't-1', createDemoTargetTable: 'yes' }, 'createDemoTargetTable must be true or false, got "yes"'],
    ['an empty code version', { targetTableNames: 't-1', codeVersion: ' ' }, 'codeVersion must be a non-empty string'],
    ['a retention that is no whole number of days', { targetTableNames: 't-1', snapshotRetentionDays: '2.5' }, 'snapshotRetentionDays must be a whole number of days, at least 1, got "2.5"'],
    ['a retention of zero days', { targetTableNames: 't-1', snapshotRetentionDays: 0 }, 'snapshotRetentionDays must be a whole number of days, at least 1, got 0'],
    ['an unknown access control', { targetTableNames: 't-1', accessControl: 'users' }, 'accessControl must be "policies" (managed policies to attach) or "roles" (also one role per persona), got "users"'],
    ['schedules that are not a list', { targetTableNames: 't-1', schedules: 'nightly' }, 'schedules is not valid JSON: nightly'],
    ['approvers that are not a list', { targetTableNames: 't-1', approvers: { email: 'alice@example.com' } }, 'approvers must be a list of { "email": "..." }, got {"email":"alice@example.com"}'],
    ['an approver given as a bare string', { targetTableNames: 't-1', approvers: ['alice@example.com'] }, 'approvers entries are invalid: [0] must be an object { "email": "..." }, got "alice@example.com"'],
    [
      'approvers with a bad address, an unknown field and a repeat, all named',
      { targetTableNames: 't-1', approvers: [{ email: 'alice@example.com' }, { email: 'bob' }, { email: 'carol@example.com', name: 'Carol' }, { email: 'alice@example.com' }] },
      'approvers entries are invalid: [1].email must be an email address, e.g. "alice@example.com", got "bob"; [2].name is not a known field (known: email), got "Carol"; [3].email repeats [0] "alice@example.com"; list each approver once',
    ],
    ['an operator with a bad address', { targetTableNames: 't-1', operators: [{ email: 'oncall' }] }, 'operators entries are invalid: [0].email must be an email address, e.g. "alice@example.com", got "oncall"'],
    ['an operator listed twice', { targetTableNames: 't-1', operators: [{ email: 'a@example.com' }, { email: 'a@example.com' }] }, 'list each operator once'],
    [
      'breaker thresholds CloudWatch would refuse, all named',
      { targetTableNames: 't-1', breakerThresholds: { dynamoDbThrottles: { periodSeconds: 20 }, workerErrors: { evaluationPeriods: 1, datapointsToAlarm: 2 } } },
      'breakerThresholds are invalid: dynamoDbThrottles.periodSeconds must be 10, 30 or 60, got 20; workerErrors.datapointsToAlarm must be at most evaluationPeriods (1), got 2',
    ],
    ['breaker thresholds that are not JSON', { targetTableNames: 't-1', breakerThresholds: '{threshold' }, 'breakerThresholds is not valid JSON: {threshold'],
    ['an adopted alarm name with a control character', { targetTableNames: 't-1', breakerAdoptedAlarms: ['bad\nname'] }, 'breakerAdoptedAlarms entries must each be a CloudWatch alarm name (1–255 characters, no control characters), got "bad\\nname"'],
    ['an auto-close under a minute', { targetTableNames: 't-1', breakerAutoCloseAfterSeconds: 30 }, 'breakerAutoCloseAfterSeconds must be a whole number of seconds from 60 to 604800, got 30'],
  ])('refuses %s, naming the setting and the value', (_what, context, message) => {
    expect(() => configFrom(context)).toThrow(BackfillConfigError);
    expect(() => configFrom(context)).toThrow(message);
  });
});
