import { createHash } from 'node:crypto';
import { orderSummaryV1, orderSummaryV2, OrderEventSchema, OrderSummarySchema, type OrderEvent, type OrderSummary } from '../../../lambdas/transforms';
import { DEMO_DAYS, generateDemoDataset, InvalidDemoOptionError, MALFORMED_KINDS, type CollectedDemoDataset } from '../../../local/demo';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const fingerprint = (dataset: CollectedDemoDataset) => dataset.objects.map((o) => `${o.key} ${sha256(o.body)}`);

interface ReadLine {
  readonly dt: string;
  readonly text: string;
  readonly record?: OrderEvent;
}

/** Every line of every object, validated independently of the generator's own counts. */
function readLines(dataset: CollectedDemoDataset): ReadLine[] {
  return dataset.objects.flatMap(({ key, body }) => {
    expect(body.endsWith('\n')).toBe(true);
    const dt = /dt=(\d{4}-\d{2}-\d{2})\//.exec(key)![1]!;
    return body.slice(0, -1).split('\n').map((text) => {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { dt, text };
      }
      const parsed = OrderEventSchema.safeParse(json);
      return parsed.success ? { dt, text, record: parsed.data } : { dt, text };
    });
  });
}

describe('generateDemoDataset', () => {
  // GIVEN one mid-sized dataset shared by the read-only checks below
  const dataset = generateDemoDataset({ records: 10_000, seed: 7 }).collect();
  const lines = readLines(dataset);
  const valid = lines.flatMap((l) => (l.record ? [{ ...l, record: l.record }] : []));

  it('is byte-identical for the same seed and differs for another', () => {
    expect(fingerprint(generateDemoDataset({ records: 10_000, seed: 7 }).collect())).toEqual(fingerprint(dataset));
    expect(generateDemoDataset({ records: 10_000, seed: 7 }).collect().targetItems).toEqual(dataset.targetItems);
    const [a, b] = [7, 8].map((seed) => generateDemoDataset({ records: 2_000, seed }).collect().objects.map((o) => o.body));
    expect(b).not.toEqual(a);
  });

  it('regenerates identical parts on every iteration, matching collect()', () => {
    const generated = generateDemoDataset({ records: 3_000, seed: 3, maxLinesPerObject: 400 });
    const first = [...generated.parts()].map((p) => sha256(p.body));
    const second = [...generated.parts()].map((p) => sha256(p.body));
    expect(second).toEqual(first);
    expect(generated.collect().objects.map((o) => sha256(o.body))).toEqual(first);
  });

  it('spreads the records over 12 daily partitions of at most 5,000 lines, named dt=YYYY-MM-DD/part-NNNNN.jsonl', () => {
    const days = new Set(dataset.objects.map((o) => o.key.slice(0, 'orders/dt=2024-03-01'.length)));
    expect([...days].sort()).toEqual(Array.from({ length: DEMO_DAYS }, (_, i) => `orders/dt=2024-03-${String(i + 1).padStart(2, '0')}`));
    for (const object of dataset.objects) expect(object.key).toMatch(/^orders\/dt=2024-03-\d{2}\/part-\d{5}\.jsonl$/);
    expect(lines).toHaveLength(10_000);
    const perDay = [...days].map((day) => lines.filter((l) => `orders/dt=${l.dt}` === day).length);
    for (const count of perDay) expect(count).toBeGreaterThan((10_000 / DEMO_DAYS) * 0.6);
  });

  it('splits a big day into consecutive parts of at most maxLinesPerObject lines', () => {
    // GIVEN ~6,700 records a day: two parts each (layout only, nothing generated)
    const generated = generateDemoDataset({ records: 80_000, seed: 1 });
    expect(generated.layout.reduce((sum, o) => sum + o.lineCount, 0)).toBe(80_000);
    for (const object of generated.layout) expect(object.lineCount).toBeLessThanOrEqual(5_000);
    const firstDay = generated.layout.filter((o) => o.dt === '2024-03-01');
    expect(firstDay.map((o) => o.key)).toEqual(['orders/dt=2024-03-01/part-00000.jsonl', 'orders/dt=2024-03-01/part-00001.jsonl']);
    expect(firstDay[0]!.lineCount).toBe(5_000);
    expect(firstDay[1]!.firstRecord).toBe(firstDay[0]!.firstRecord + 5_000);
    const small = generateDemoDataset({ records: 1_000, seed: 1, maxLinesPerObject: 30, prefix: 'x/' }).collect();
    for (const object of small.objects) {
      expect(object.key.startsWith('x/dt=')).toBe(true);
      expect(object.body.split('\n').length - 1).toBeLessThanOrEqual(30);
    }
  });

  it('plants about 0.1% malformed lines of every kind, and says so', () => {
    const malformed = lines.filter((l) => !l.record);
    expect(malformed).toHaveLength(dataset.stats.malformed);
    expect(malformed.length).toBeGreaterThanOrEqual(5);
    expect(malformed.length).toBeLessThanOrEqual(20);
    expect(dataset.stats.valid).toBe(valid.length);
    expect(Object.keys(dataset.stats.malformedByKind).sort()).toEqual([...MALFORMED_KINDS].sort());
    for (const kind of MALFORMED_KINDS) expect(dataset.stats.malformedByKind[kind]).toBeGreaterThan(0);
    const notJson = malformed.filter((l) => {
      try {
        JSON.parse(l.text);
        return false;
      } catch {
        return true;
      }
    });
    expect(notJson).toHaveLength(dataset.stats.malformedByKind['invalid-json'] + dataset.stats.malformedByKind.truncated);
  });

  it('plants at least one malformed line in every 1,000 records, whatever the seed', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { stats } = generateDemoDataset({ records: 1_000, seed }).collect();
      expect([seed, stats.malformed]).toEqual([seed, 1]);
    }
  });

  it('gives every record a distinct orderId', () => {
    const ids = lines.map((l) => /"orderId":"([^"]+)"/.exec(l.text)?.[1]).filter((id) => id !== undefined);
    expect(ids.length).toBeGreaterThan(9_990);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('places every order on the UTC day of its partition, some of them late in the evening at negative offsets', () => {
    expect(valid.filter((l) => orderSummaryV2.apply(l.record)[0]!.orderDate !== l.dt)).toEqual([]);
    const lateEvening = valid.filter((l) => /T(2[0-3]):\d\d:\d\d(\.\d+)?-\d\d:\d\d$/.test(l.record.placedAt) && l.record.placedAt.slice(0, 10) < l.dt);
    expect(lateEvening.length).toBeGreaterThan(valid.length * 0.05);
    const offsets = new Set(valid.map((l) => /(Z|[+-]\d\d:\d\d)$/.exec(l.record.placedAt)![1]));
    expect(offsets.size).toBeGreaterThanOrEqual(8);
  });

  it('stores the v1 item of each order, except ~1% missing and ~2% newer live updates', () => {
    const stored = new Map(dataset.targetItems.map((item) => [item.orderId, item]));
    expect(stored.size).toBe(dataset.targetItems.length);
    const same = (a: OrderSummary, b: OrderSummary) => JSON.stringify(a) === JSON.stringify(b); // both built in one key order
    let missing = 0;
    let live = 0;
    const wrongItems: string[] = [];
    for (const { record } of valid) {
      const item = stored.get(record.orderId);
      const v1 = orderSummaryV1.apply(record)[0]!;
      if (!item) {
        missing++;
      } else if (item.version === record.version + 1) {
        live++;
        const sameContent = same(item, { ...orderSummaryV2.apply(record)[0]!, version: item.version }) || same(item, { ...v1, version: item.version });
        if (sameContent) wrongItems.push(`${record.orderId}: the live update has the same content`);
      } else if (!same(item, v1)) {
        wrongItems.push(`${record.orderId}: ${JSON.stringify(item)} is not the v1 item ${JSON.stringify(v1)}`);
      }
    }
    expect(wrongItems).toEqual([]);
    expect(stored.size).toBe(valid.length - missing);
    expect([missing, live]).toEqual([dataset.stats.missing, dataset.stats.liveUpdated]);
    expect(missing).toBeGreaterThanOrEqual(90);
    expect(missing).toBeLessThanOrEqual(100);
    expect(live).toBeGreaterThanOrEqual(180);
    expect(live).toBeLessThanOrEqual(200);
    expect(new Set(dataset.missingOrderIds)).toEqual(new Set(valid.filter((l) => !stored.has(l.record.orderId)).map((l) => l.record.orderId)));
  });

  it('stores only items the output schema accepts', () => {
    const rejected = dataset.targetItems.filter((item) => !OrderSummarySchema.safeParse(item).success);
    expect(rejected).toEqual([]);
  });

  it('has v1 wrong for 20–40% of the records, by both bugs, as its stats say', () => {
    const differs = (a: OrderSummary, b: OrderSummary) => JSON.stringify(a) !== JSON.stringify(b);
    const pairs = valid.map((l) => [orderSummaryV1.apply(l.record)[0]!, orderSummaryV2.apply(l.record)[0]!] as const);
    const wrong = pairs.filter(([v1, v2]) => differs(v1, v2));
    expect(wrong.length).toBe(dataset.stats.v1Wrong);
    expect(wrong.length / valid.length).toBeGreaterThan(0.2);
    expect(wrong.length / valid.length).toBeLessThan(0.4);
    expect(pairs.filter(([v1, v2]) => v1.orderDate !== v2.orderDate).length).toBe(dataset.stats.v1WrongDate);
    expect(pairs.filter(([v1, v2]) => v1.totalCents !== v2.totalCents).length).toBe(dataset.stats.v1WrongTotal);
    expect(dataset.stats.v1WrongDate).toBeGreaterThan(valid.length * 0.1);
    expect(dataset.stats.v1WrongTotal).toBeGreaterThan(valid.length * 0.04);
  });

  it('predicts what a v2 backfill does for every valid record', () => {
    const { expected } = dataset.stats;
    expect(expected.created + expected.updated + expected.unchanged + expected.skippedNewer).toBe(dataset.stats.valid);
    const stored = new Map(dataset.targetItems.map((item) => [item.orderId, item]));
    let updated = 0;
    let unchanged = 0;
    for (const { record } of valid) {
      const item = stored.get(record.orderId);
      const v2 = orderSummaryV2.apply(record)[0]!;
      if (!item || item.version > v2.version) continue;
      if (JSON.stringify(item) === JSON.stringify(v2)) unchanged++;
      else updated++;
    }
    expect({ created: dataset.stats.missing, updated, unchanged, skippedNewer: dataset.stats.liveUpdated }).toEqual(expected);
  });

  it('generates lazily: the first object of a million-record dataset is made from its own 5,000 records only', () => {
    const applied = jest.spyOn(orderSummaryV1, 'apply');
    try {
      const huge = generateDemoDataset({ records: 1_000_000 });
      expect(huge.layout.reduce((sum, o) => sum + o.lineCount, 0)).toBe(1_000_000);
      expect(huge.layout.length).toBeGreaterThanOrEqual(200);
      expect(applied).not.toHaveBeenCalled();
      const first = huge.parts().next();
      expect(first.done).toBe(false);
      expect(first.value!.lineCount).toBe(5_000);
      expect(applied.mock.calls.length).toBeLessThanOrEqual(5_000);
      expect(applied.mock.calls.length).toBeGreaterThan(4_900);
    } finally {
      applied.mockRestore();
    }
  });

  it('handles tiny datasets', () => {
    expect(generateDemoDataset({ records: 0 }).collect()).toEqual(expect.objectContaining({ objects: [], targetItems: [] }));
    const five = generateDemoDataset({ records: 5 }).collect();
    expect(five.stats.records).toBe(5);
    expect(five.objects.reduce((n, o) => n + o.body.split('\n').length - 1, 0)).toBe(5);
  });

  it.each([
    ['records', { records: -1 }],
    ['records', { records: 1.5 }],
    ['seed', { records: 10, seed: -3 }],
    ['seed', { records: 10, seed: 2 ** 32 }],
    ['maxLinesPerObject', { records: 10, maxLinesPerObject: 0 }],
    ['prefix', { records: 10, prefix: 'orders' }],
  ])('refuses a bad %s', (option, options) => {
    expect(() => generateDemoDataset(options)).toThrow(InvalidDemoOptionError);
    expect(() => generateDemoDataset(options)).toThrow(`demo option ${option} must be`);
  });
});
