import { evaluateDatapoints, evaluationRange, type AlarmState } from '../../../local/alarms/evaluateDatapoints';

type Treatment = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
type Expected = AlarmState | 'retain';

/**
 * "0 - X - X", oldest first as the CloudWatch docs write them: 0 not breaching, X breaching, - missing.
 * Returned newest first, as evaluateDatapoints takes them (threshold 1, >=).
 */
const periods = (row: string): Array<number | undefined> =>
  row
    .split(' ')
    .map((c) => (c === 'X' ? 1 : c === '0' ? 0 : undefined))
    .reverse();

const rule = (evaluationPeriods: number, datapointsToAlarm: number, treatMissingData: Treatment) => ({
  evaluationPeriods,
  datapointsToAlarm,
  treatMissingData,
  comparison: 'GreaterThanOrEqualToThreshold' as const,
  threshold: 1,
});

// The two tables of "How alarm state is evaluated when data is missing"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html), row by row:
// data points, then the state for MISSING, IGNORE, BREACHING, NOT BREACHING ('retain' = "Retain current state").
const THREE_OF_THREE: Array<[string, Expected, Expected, Expected, Expected]> = [
  ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
  ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
  ['- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
  ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['- - X - -', 'ALARM', 'retain', 'ALARM', 'OK'],
];
const TWO_OF_THREE: Array<[string, Expected, Expected, Expected, Expected]> = [
  ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
  ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
  ['- - - X -', 'ALARM', 'retain', 'ALARM', 'OK'],
];
const TREATMENTS: Treatment[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const cases = (m: number, table: typeof THREE_OF_THREE) =>
  table.flatMap(([row, ...states]) => TREATMENTS.map((treatment, i) => ({ row, treatment, m, expected: states[i]! })));

describe('evaluateDatapoints (CloudWatch alarm evaluation)', () => {
  it('looks 5 periods back for 3 evaluation periods, as the documented tables do', () => {
    expect(evaluationRange(3)).toBe(5);
  });

  it.each(cases(3, THREE_OF_THREE))('3 out of 3: $row with treatMissingData $treatment is $expected', ({ row, treatment, m, expected }) => {
    expect(evaluateDatapoints(rule(3, m, treatment), periods(row)).state).toBe(expected);
  });

  it.each(cases(2, TWO_OF_THREE))('2 out of 3: $row with treatMissingData $treatment is $expected', ({ row, treatment, m, expected }) => {
    expect(evaluateDatapoints(rule(3, m, treatment), periods(row)).state).toBe(expected);
  });

  // "Avoiding premature transitions to alarm state": a lone recent breach does not alarm yet.
  it.each(['- - - - X', '- - - X -'])('3 out of 3: %s stays OK with treatMissingData missing (no premature ALARM)', (row) => {
    expect(evaluateDatapoints(rule(3, 3, 'missing'), periods(row)).state).toBe('OK');
  });

  it('with N real datapoints uses only the N most recent ones (older ones in the range are ignored)', () => {
    // GIVEN 0 0 X 0 X: the 3 most recent real datapoints are X 0 X
    const verdict = evaluateDatapoints(rule(3, 2, 'breaching'), periods('0 0 X 0 X'));
    // THEN only ages 0..2 are evaluated, 2 breach, nothing is filled
    expect(verdict).toEqual({ state: 'ALARM', evaluatedAges: [0, 1, 2], breaching: 2, filled: 0 });
  });

  it('fills missing datapoints only as often as needed and counts every real one', () => {
    // GIVEN "- - - - 0" (one real datapoint) and 2 out of 3 with missing data breaching
    const verdict = evaluateDatapoints(rule(3, 2, 'breaching'), periods('- - - - 0'));
    // THEN 2 datapoints are filled in as breaching, which alarms
    expect(verdict).toEqual({ state: 'ALARM', evaluatedAges: [0], breaching: 2, filled: 2 });
  });

  it.each([
    ['GreaterThanOrEqualToThreshold', 5, true],
    ['GreaterThanOrEqualToThreshold', 4.9, false],
    ['GreaterThanThreshold', 5, false],
    ['GreaterThanThreshold', 5.1, true],
    ['LessThanThreshold', 5, false],
    ['LessThanThreshold', 4.9, true],
    ['LessThanOrEqualToThreshold', 5, true],
    ['LessThanOrEqualToThreshold', 5.1, false],
  ] as const)('%s 5: a datapoint of %d breaches: %s', (comparison, value, breaching) => {
    const verdict = evaluateDatapoints({ evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: 'missing', comparison, threshold: 5 }, [value, undefined, undefined]);
    expect(verdict.state).toBe(breaching ? 'ALARM' : 'OK');
  });
});
