import type { AlarmDefinition } from '../../lambdas/lib/health';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** What one evaluation decided, and on which datapoints. */
export interface DatapointsVerdict {
  /** The new state; `retain` keeps the current one (treatMissingData `ignore` with too little data). */
  readonly state: AlarmState | 'retain';
  /** The ages (0 = the newest period) of the real datapoints the verdict used, newest first. */
  readonly evaluatedAges: readonly number[];
  /** How many evaluated datapoints breach, counting filled-in missing ones that breach. */
  readonly breaching: number;
  /** Missing datapoints filled in with the treatMissingData setting. */
  readonly filled: number;
}

type EvaluationRule = Pick<AlarmDefinition, 'evaluationPeriods' | 'datapointsToAlarm' | 'treatMissingData' | 'comparison' | 'threshold'>;

/**
 * How many periods back an evaluation looks for real datapoints. CloudWatch does not document the
 * formula; its documented examples retrieve 5 for 3 evaluation periods, which this follows (N + 2).
 * @example
 *   evaluationRange(3); // 5
 */
export const evaluationRange = (evaluationPeriods: number): number => evaluationPeriods + 2;

/**
 * Whether one period's statistic breaches the alarm's threshold.
 * @example
 *   breaches({ comparison: 'GreaterThanOrEqualToThreshold', threshold: 5 }, 5); // true
 */
export function breaches(rule: Pick<AlarmDefinition, 'comparison' | 'threshold'>, value: number): boolean {
  switch (rule.comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= rule.threshold;
  }
}

/**
 * CloudWatch's evaluation of one alarm over its evaluation range ("How alarm state is evaluated when
 * data is missing", https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html):
 * - with at least N (evaluation periods) real datapoints, the N most recent real ones decide and
 *   treatMissingData is not used: ALARM when at least M (datapoints to alarm) of them breach;
 * - with fewer, the missing ones are filled in as treatMissingData says (breaching / not breaching),
 *   every real datapoint in the range counting too; with none at all, `missing` gives
 *   INSUFFICIENT_DATA and `ignore` keeps the state;
 * - "avoiding premature transitions": with `missing` or `ignore`, when every real datapoint in the
 *   range breaches and the oldest of them is at least M periods old, the alarm goes to ALARM
 *   (`missing`) or keeps its state (`ignore`, as the documented tables show).
 * @param periods the period statistics of the evaluation range, newest first; undefined = missing
 * @example
 *   // "- - X - -" (oldest first) with N = M = 3, treatMissingData missing: ALARM (premature-alarm rule)
 *   evaluateDatapoints({ evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing', comparison: 'GreaterThanOrEqualToThreshold', threshold: 1 },
 *     [undefined, undefined, 1, undefined, undefined]).state; // 'ALARM'
 */
export function evaluateDatapoints(rule: EvaluationRule, periods: ReadonlyArray<number | undefined>): DatapointsVerdict {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const real = periods.flatMap((value, age) => (value === undefined ? [] : [{ age, breach: breaches(rule, value) }]));
  const decide = (breaching: number) => (breaching >= m ? 'ALARM' : 'OK');
  if (real.length >= n) {
    const evaluated = real.slice(0, n);
    const breaching = evaluated.filter((p) => p.breach).length;
    return { state: decide(breaching), evaluatedAges: evaluated.map((p) => p.age), breaching, filled: 0 };
  }
  const filled = n - real.length;
  const realBreaching = real.filter((p) => p.breach).length;
  const verdict = (state: DatapointsVerdict['state'], breaching: number): DatapointsVerdict => ({ state, evaluatedAges: real.map((p) => p.age), breaching, filled });
  switch (rule.treatMissingData) {
    case 'breaching':
      return verdict(decide(realBreaching + filled), realBreaching + filled);
    case 'notBreaching':
      return verdict(decide(realBreaching), realBreaching);
    case 'missing':
    case 'ignore': {
      if (real.length === 0) return verdict(rule.treatMissingData === 'missing' ? 'INSUFFICIENT_DATA' : 'retain', 0);
      const premature = realBreaching < m && real.every((p) => p.breach) && real[real.length - 1]!.age + 1 >= m;
      if (premature) return verdict(rule.treatMissingData === 'missing' ? 'ALARM' : 'retain', realBreaching);
      return verdict(decide(realBreaching), realBreaching);
    }
  }
}
