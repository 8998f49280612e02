import type { AlarmDefinition } from '../../lambdas/lib/health';

/**
 * The statistic of one period's samples, as CloudWatch computes it from raw values; undefined when
 * the period has no sample (a missing datapoint). p99 is the nearest-rank percentile.
 * @example
 *   periodStatistic('Sum', [1, 2, 3]); // 6
 *   periodStatistic('p99', []); // undefined
 */
export function periodStatistic(statistic: AlarmDefinition['statistic'], samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  switch (statistic) {
    case 'Sum':
      return samples.reduce((sum, v) => sum + v, 0);
    case 'Average':
      return samples.reduce((sum, v) => sum + v, 0) / samples.length;
    case 'Maximum':
      return samples.reduce((max, v) => (v > max ? v : max), -Infinity);
    case 'p99': {
      const sorted = [...samples].sort((a, b) => a - b);
      return sorted[Math.ceil(0.99 * sorted.length) - 1];
    }
  }
}
