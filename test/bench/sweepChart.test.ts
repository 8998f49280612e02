import { niceCeiling, sweepChartSvg, type ChartCell } from '../../bench/report/sweepChart';

const cells: ChartCell[] = [
  { batchSize: 500, maxConcurrency: 2, median: 900, min: 850, max: 950 },
  { batchSize: 500, maxConcurrency: 8, median: 800, min: 700, max: 1000 },
  { batchSize: 2000, maxConcurrency: 2, median: 1100, min: 1000, max: 1200 },
  { batchSize: 2000, maxConcurrency: 8, median: 1000, min: 990, max: 1010 },
];

describe('sweepChartSvg', () => {
  it('draws one bar and one whisker per cell, a group label per batch size and a legend entry per concurrency', () => {
    const svg = sweepChartSvg(cells, { title: 'records/s' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(4);
    expect(svg).toContain('batch size 500');
    expect(svg).toContain('batch size 2,000');
    expect(svg).toContain('batch 2000, concurrency 8: 1000 records/s (990–1010)');
  });

  it('prints each cell label above its bar', () => {
    const svg = sweepChartSvg([{ ...cells[0]!, label: '$0.358/M' }], { title: 't' });
    expect(svg).toContain('>$0.358/M</text>');
  });

  it('staggers the labels of neighbouring bars above the group, so they never collide', () => {
    const svg = sweepChartSvg([{ ...cells[2]!, label: 'left' }, { ...cells[3]!, label: 'right' }], { title: 't' });
    const yOf = (label: string) => Number(new RegExp(`y="([0-9.]+)"[^>]*>${label}</text>`).exec(svg)![1]);
    expect(yOf('left') - yOf('right')).toBe(13);
  });

  it('draws the floor as a dashed line when given', () => {
    expect(sweepChartSvg(cells, { title: 't' })).not.toContain('stroke-dasharray');
    expect(sweepChartSvg(cells, { title: 't', floorRecordsPerSecond: 1500 })).toContain('floor 1,500');
  });

  it('is deterministic and escapes the title', () => {
    const svg = sweepChartSvg(cells, { title: 'a < b & c' });
    expect(svg).toBe(sweepChartSvg(cells, { title: 'a < b & c' }));
    expect(svg).toContain('a &lt; b &amp; c');
  });

  it('rounds the axis up to a round number', () => {
    expect(niceCeiling(1260)).toBe(1500);
    expect(niceCeiling(2190)).toBe(2500);
    expect(niceCeiling(4999)).toBe(5000);
    expect(niceCeiling(100)).toBe(100);
    expect(niceCeiling(0)).toBe(1);
  });
});
