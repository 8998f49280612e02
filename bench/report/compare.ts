import type { BenchResults, Metric } from '../results';

export interface MetricChange {
  readonly name: string;
  readonly unit: string;
  readonly before?: Metric;
  readonly after?: Metric;
  /** after / before − 1, when both exist. */
  readonly change?: number;
  /** Whether the change goes the metric's better way (undefined without both, or when equal). */
  readonly improved?: boolean;
}

/** Every metric of two result files, paired by name, in the order of the second file then the first. */
export function compareMetrics(before: Pick<BenchResults, 'metrics'>, after: Pick<BenchResults, 'metrics'>): MetricChange[] {
  const names = [...new Set([...Object.keys(after.metrics), ...Object.keys(before.metrics)])];
  return names.map((name) => {
    const b = before.metrics[name];
    const a = after.metrics[name];
    const unit = (a ?? b)!.unit;
    if (!a || !b) return { name, unit, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) };
    const change = b.median === 0 ? undefined : a.median / b.median - 1;
    const improved = a.median === b.median ? undefined : (a.better === 'higher') === a.median > b.median;
    return { name, unit, before: b, after: a, ...(change === undefined ? {} : { change }), ...(improved === undefined ? {} : { improved }) };
  });
}

/** A number as the tables print it: 3 significant digits, grouped thousands. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const cell = (m: Metric | undefined) => (m ? `${formatNumber(m.median)} (${formatNumber(m.min)}–${formatNumber(m.max)})` : '—');

/** A markdown table of `compareMetrics`: median (min–max) before and after, and the change. */
export function comparisonTable(changes: readonly MetricChange[]): string {
  const rows = changes.map((c) => {
    const change = c.change === undefined ? '' : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(0)} %${c.improved === undefined ? '' : c.improved ? ' better' : ' worse'}`;
    return `| ${c.name} | ${c.unit} | ${cell(c.before)} | ${cell(c.after)} | ${change} |`;
  });
  return ['| metric | unit | before: median (min–max) | after: median (min–max) | change |', '|---|---|---|---|---|', ...rows].join('\n');
}
