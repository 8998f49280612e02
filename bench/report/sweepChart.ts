/** One bar of the sweep chart: a (batch size, max concurrency) cell's records/s. */
export interface ChartCell {
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Printed above the bar, e.g. the cell's cost per million records. */
  readonly label?: string;
}

export interface SweepChartOptions {
  readonly title: string;
  /** Drawn as a dashed line when given: the local floor in records/s. */
  readonly floorRecordsPerSecond?: number;
  readonly width?: number;
  readonly height?: number;
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1'];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const num = (n: number) => (Math.round(n * 10) / 10).toString();

/** A round axis maximum: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten, at least `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * A self-contained SVG bar chart of a sweep: one group per batch size, one bar per max
 * concurrency (median records/s) with a min–max whisker and an optional label, and the floor as a
 * dashed line.
 * Deterministic: the same cells give the same bytes.
 * @example
 *   writeFileSync('docs/benchmarks-sweep.svg', sweepChartSvg(cells, { title: 'records/s at 10,000 records' }));
 */
export function sweepChartSvg(cells: readonly ChartCell[], options: SweepChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 380;
  const margin = { top: 48, right: 150, bottom: 56, left: 72 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const batchSizes = [...new Set(cells.map((c) => c.batchSize))].sort((a, b) => a - b);
  const concurrencies = [...new Set(cells.map((c) => c.maxConcurrency))].sort((a, b) => a - b);
  const yMax = niceCeiling(Math.max(1, ...cells.map((c) => c.max), options.floorRecordsPerSecond ?? 0) * 1.05);
  const y = (v: number) => margin.top + plotH - (v / yMax) * plotH;
  const groupW = plotW / Math.max(1, batchSizes.length);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(1, concurrencies.length));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escape(options.title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = (yMax / 5) * i;
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${num(y(v))}" y2="${num(y(v))}" stroke="#dddddd"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${num(y(v) + 4)}" text-anchor="end">${Math.round(v).toLocaleString('en-US')}</text>`);
  }
  parts.push(`<text transform="translate(18 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">records/s (median, min–max)</text>`);
  batchSizes.forEach((batchSize, g) => {
    const groupX = margin.left + g * groupW + (groupW - barW * concurrencies.length) / 2;
    const groupTop = Math.max(...cells.filter((c) => c.batchSize === batchSize).map((c) => c.max));
    concurrencies.forEach((maxConcurrency, b) => {
      const cell = cells.find((c) => c.batchSize === batchSize && c.maxConcurrency === maxConcurrency);
      if (!cell) return;
      const x = groupX + b * barW;
      const color = COLORS[b % COLORS.length]!;
      parts.push(`<rect x="${num(x + 2)}" y="${num(y(cell.median))}" width="${num(barW - 4)}" height="${num(margin.top + plotH - y(cell.median))}" fill="${color}"><title>batch ${batchSize}, concurrency ${maxConcurrency}: ${Math.round(cell.median)} records/s (${Math.round(cell.min)}–${Math.round(cell.max)})</title></rect>`);
      const cx = num(x + barW / 2);
      parts.push(`<line x1="${cx}" x2="${cx}" y1="${num(y(cell.max))}" y2="${num(y(cell.min))}" stroke="#333333"/>`);
      parts.push(`<line x1="${num(x + barW / 2 - 5)}" x2="${num(x + barW / 2 + 5)}" y1="${num(y(cell.max))}" y2="${num(y(cell.max))}" stroke="#333333"/>`);
      parts.push(`<line x1="${num(x + barW / 2 - 5)}" x2="${num(x + barW / 2 + 5)}" y1="${num(y(cell.min))}" y2="${num(y(cell.min))}" stroke="#333333"/>`);
      // Labels above the group's highest whisker, every other one a line higher, so neighbours never collide.
      if (cell.label) parts.push(`<text x="${cx}" y="${num(y(groupTop) - 6 - (b % 2) * 13)}" text-anchor="middle" font-size="11">${escape(cell.label)}</text>`);
    });
    parts.push(`<text x="${num(margin.left + g * groupW + groupW / 2)}" y="${margin.top + plotH + 20}" text-anchor="middle">batch size ${batchSize.toLocaleString('en-US')}</text>`);
  });
  parts.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333333"/>`);
  parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333333"/>`);
  if (options.floorRecordsPerSecond !== undefined && Number.isFinite(options.floorRecordsPerSecond)) {
    const fy = num(y(options.floorRecordsPerSecond));
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${fy}" y2="${fy}" stroke="#c00000" stroke-dasharray="6 4"/>`);
    parts.push(`<text x="${margin.left + 6}" y="${num(Number(fy) - 5)}" fill="#c00000">floor ${Math.round(options.floorRecordsPerSecond).toLocaleString('en-US')}</text>`);
  }
  const legendX = margin.left + plotW + 8;
  parts.push(`<text x="${legendX}" y="${margin.top + 4}" font-weight="bold">max concurrency</text>`);
  concurrencies.forEach((maxConcurrency, b) => {
    const ly = margin.top + 20 + b * 20;
    parts.push(`<rect x="${legendX}" y="${ly - 10}" width="12" height="12" fill="${COLORS[b % COLORS.length]}"/>`);
    parts.push(`<text x="${legendX + 18}" y="${ly}">${maxConcurrency}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
