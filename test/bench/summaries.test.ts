import { compareMetrics, comparisonTable } from '../../bench/report/compare';
import { itemSizeBytes, writeUnitsFor } from '../../bench/metering/itemSize';
import { summarize } from '../../bench/stats';
import { parseBenchOptions } from '../../bench/options';

describe('summarize', () => {
  it('gives the median, min and max, keeping the runs in order', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: [3, 1, 2] });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
    expect(() => summarize([])).toThrow();
  });
});

describe('compareMetrics', () => {
  const metric = (median: number, better: 'higher' | 'lower') => ({ median, min: median, max: median, runs: [median], unit: 'x', better });
  it('pairs metrics by name and says which way each moved', () => {
    const changes = compareMetrics(
      { metrics: { rate: metric(100, 'higher'), cost: metric(2, 'lower'), gone: metric(1, 'lower') } },
      { metrics: { rate: metric(150, 'higher'), cost: metric(3, 'lower'), added: metric(1, 'lower') } },
    );
    expect(changes.find((c) => c.name === 'rate')).toMatchObject({ change: 0.5, improved: true });
    expect(changes.find((c) => c.name === 'cost')).toMatchObject({ improved: false });
    expect(changes.find((c) => c.name === 'gone')?.after).toBeUndefined();
    expect(comparisonTable(changes)).toContain('| rate | x | 100 (100–100) | 150 (150–150) | +50 % better |');
  });
});

describe('itemSizeBytes', () => {
  it('counts attribute names and values the way DynamoDB sizes items', () => {
    // 'pk' (2) + 'abc' (3) + 'n' (1) + 12 → 2 bytes + 'ok' (2) + true (1)
    expect(itemSizeBytes({ pk: 'abc', n: 12, ok: true })).toBe(2 + 3 + 1 + 2 + 2 + 1);
    expect(writeUnitsFor(1)).toBe(1);
    expect(writeUnitsFor(1025)).toBe(2);
  });
});

describe('parseBenchOptions', () => {
  it('selects the quick profile without touching the docs', () => {
    const options = parseBenchOptions(['--quick']);
    expect(options.profile.name).toBe('quick');
    expect(options.writeDocs).toBe(false);
    expect(options.out).toMatch(/latest-quick\.json$/);
  });
  it('refuses unknown options and missing values', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseBenchOptions(['--out'])).toThrow(/--out needs a value/);
    expect(parseBenchOptions(['--compare', 'a.json', 'b.json']).compare).toEqual(['a.json', 'b.json']);
    expect(parseBenchOptions(['--spec', 'bench/specs/orders-spec-500x8.json']).spec).toBe('bench/specs/orders-spec-500x8.json');
    expect(parseBenchOptions(['--report', 'r.json']).report).toBe('r.json');
  });
});
