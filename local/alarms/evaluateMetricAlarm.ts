import type { AlarmDefinition } from '../../lambdas/lib/health';
import { cloudWatchTimestamp, type AlarmStateValue } from './alarmStateChangeEvent';
import { evaluateDatapoints, evaluationRange, type AlarmState } from './evaluateDatapoints';
import type { MetricStore } from './MetricStore';
import { periodStatistic } from './periodStatistic';

const COMPARISON_WORDS: Record<AlarmDefinition['comparison'], string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** Java's double formatting, as CloudWatch's reasons print numbers: `50.0`, `0.25`. */
const javaDouble = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/** `02/10/19 16:59:00`: the period start as CloudWatch's reasons print it (UTC, day first). */
const reasonTime = (ms: number): string => {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One evaluation of a metric alarm at `atMs` over the captured metrics: the completed periods
 * aligned to the period (the newest ends at or before `atMs`), the statistic of each, then
 * CloudWatch's rules (evaluateDatapoints). Returns the state with CloudWatch's reason and
 * reasonData, or `retain` (treatMissingData `ignore` with too little data).
 * @example
 *   const status = evaluateMetricAlarm(definition, store, Date.UTC(2026, 11, 1, 12, 0, 10), 'OK');
 *   // { value: 'ALARM', reason: 'Threshold Crossed: 1 out of the last 1 datapoints [2.0 (01/12/26 12:00:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).', ... }
 */
export function evaluateMetricAlarm(definition: AlarmDefinition, store: MetricStore, atMs: number, current: AlarmState): AlarmStateValue | 'retain' {
  const periodMs = definition.periodSeconds * 1_000;
  const endMs = Math.floor(atMs / periodMs) * periodMs;
  const range = evaluationRange(definition.evaluationPeriods);
  const startOf = (age: number) => endMs - (age + 1) * periodMs;
  const values = Array.from({ length: range }, (_, age) => periodStatistic(definition.statistic, store.samples(definition, startOf(age), startOf(age) + periodMs)));
  const verdict = evaluateDatapoints(definition, values);
  if (verdict.state === 'retain') return 'retain';
  const evaluated = [...verdict.evaluatedAges].reverse();
  const reasonData = JSON.stringify({
    version: '1.0',
    queryDate: cloudWatchTimestamp(atMs),
    startDate: cloudWatchTimestamp(startOf(evaluated[0] ?? range - 1)),
    ...(definition.statistic === 'p99' ? { extendedStatistic: 'p99' } : { statistic: definition.statistic }),
    period: definition.periodSeconds,
    recentDatapoints: evaluated.map((age) => values[age]),
    threshold: definition.threshold,
  });
  return { value: verdict.state, reason: reasonOf(definition, verdict.state, current, evaluated.map((age) => [values[age]!, startOf(age)] as const), verdict.breaching, verdict.filled), reasonData, timestamp: cloudWatchTimestamp(atMs) };
}

function reasonOf(definition: AlarmDefinition, state: AlarmState, current: AlarmState, datapoints: ReadonlyArray<readonly [number, number]>, breaching: number, filled: number): string {
  if (state === 'INSUFFICIENT_DATA') return `Insufficient Data: ${plural(definition.evaluationPeriods, 'datapoint')} ${definition.evaluationPeriods === 1 ? 'was' : 'were'} unknown.`;
  const counted = state === 'ALARM' ? breaching : datapoints.length + filled - breaching;
  const listed = datapoints.map(([value, startMs]) => `${javaDouble(value)} (${reasonTime(startMs)})`).join(', ');
  const filledNote = filled > 0 ? ` (${plural(filled, 'missing datapoint')} treated as ${definition.treatMissingData})` : '';
  const comparison = `${state === 'ALARM' ? '' : 'not '}${COMPARISON_WORDS[definition.comparison]}`;
  const minimum = state === 'ALARM' ? definition.datapointsToAlarm : definition.evaluationPeriods - definition.datapointsToAlarm + 1;
  return `Threshold Crossed: ${counted} out of the last ${datapoints.length + filled} datapoints [${listed}]${filledNote} was ${comparison} the threshold (${javaDouble(definition.threshold)}) (minimum ${plural(minimum, 'datapoint')} for ${current} -> ${state} transition).`;
}
