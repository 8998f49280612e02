import type { BenchProfile } from '../options';
import type { Metric } from '../results';
import { summarize } from '../stats';
import { STAGED_FIELDS } from './stagedSpec';
import type { StagedResults } from './summarizeStaged';

/** The staged phase's log title. */
export const stagedPhaseTitle = (profile: BenchProfile): string =>
  `staged rollout at ${profile.stagedRecords.toLocaleString('en-US')} records: ${profile.repeats} pairs of the same run unstaged and staged (canary ${JSON.stringify(STAGED_FIELDS.rollout.canary)}, waves ${STAGED_FIELDS.rollout.waves.join(', ')} %), order alternating`;

/**
 * The staged phase's headline figures, by name (what `--compare` compares).
 * @example
 *   stagedMetrics(staged)['staged.100000.overhead'].median; // 0.03: 3% slower staged
 */
export function stagedMetrics(staged: StagedResults): Record<string, Metric> {
  const key = (name: string) => `staged.${staged.records}.${name}`;
  const withUnit = (summary: Omit<Metric, 'unit' | 'better'>, unit: string, better: Metric['better']): Metric => ({ ...summary, unit, better });
  const metrics: Record<string, Metric> = {
    [key('unstagedSeconds')]: withUnit(staged.unstagedSeconds, 's', 'lower'),
    [key('stagedSeconds')]: withUnit(staged.stagedSeconds, 's', 'lower'),
    [key('overhead')]: withUnit(staged.overhead, 'ratio', 'lower'),
    [key('cpuOverhead')]: withUnit(staged.cpuOverhead, 'ratio', 'lower'),
    [key('validateSeconds')]: withUnit(staged.validateSeconds, 's', 'lower'),
  };
  if (staged.forecast) {
    // |forecast ÷ measured − 1| per run: 0 is a perfect forecast, whichever side it errs on.
    const error = (ratio: Omit<Metric, 'unit' | 'better'>) => withUnit(summarize(ratio.runs.map((r) => Math.abs(r - 1))), 'ratio', 'lower');
    metrics[key('forecastTimeError')] = error(staged.forecast.timeRatio);
    metrics[key('forecastCostError')] = error(staged.forecast.costRatio);
  }
  return metrics;
}
