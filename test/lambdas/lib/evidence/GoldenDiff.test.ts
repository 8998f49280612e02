import { GoldenDiff, InvalidEvidenceOptionError, type GoldenDiffResult } from '../../../../lambdas/lib/evidence';
import { orderSummaryV1, orderSummaryV2, type OrderSummary } from '../../../../lambdas/transforms';
import { demoOrderEvent } from '../../../../local/demo/orderEvents';

type Item = Record<string, unknown>;
const key = (item: Item) => ({ id: item['id'] });

function diffOf(entries: readonly (readonly [Item | undefined, Item])[], maxSamples?: number): GoldenDiffResult {
  const diff = new GoldenDiff(maxSamples === undefined ? {} : { maxSamples });
  for (const [before, after] of entries) diff.add(key(after), before, after);
  return diff.result();
}

/** The demo's orders as the buggy v1 wrote them (pre-image) and as v2 would write them (intended). */
function demoPairs(count: number): [OrderSummary, OrderSummary][] {
  return Array.from({ length: count }, (_, i) => {
    const order = demoOrderEvent(7, i, '2024-03-01');
    return [orderSummaryV1.apply(order)[0]!, orderSummaryV2.apply(order)[0]!];
  });
}

describe('GoldenDiff', () => {
  it('counts per top-level attribute the items that add, remove or change it, with before → after samples', () => {
    const result = diffOf([
      [{ id: 'a', n: 1, tag: 'x' }, { id: 'a', n: 2, tag: 'x' }],
      [{ id: 'b', n: 1 }, { id: 'b', n: 1, tag: 'y' }],
      [{ id: 'c', n: 5, tag: 'z' }, { id: 'c', n: 5 }],
      [{ id: 'd', n: 3 }, { id: 'd', n: 3 }],
    ]);
    expect(result).toEqual({
      items: 4, created: 0, updated: 4, unchanged: 1,
      attributes: [
        { attribute: 'id', items: 0, added: 0, removed: 0, changed: 0, samples: [] },
        { attribute: 'n', items: 1, added: 0, removed: 0, changed: 1, samples: [{ key: { id: 'a' }, before: 1, after: 2 }], shift: { before: 10, after: 11 } },
        { attribute: 'tag', items: 2, added: 1, removed: 1, changed: 0, samples: [{ key: { id: 'b' }, after: 'y' }, { key: { id: 'c' }, before: 'z' }] },
      ],
    });
  });

  it('counts created items apart and leaves them out of the attribute counts and sums', () => {
    const result = diffOf([[undefined, { id: 'new', n: 100 }], [{ id: 'old', n: 1 }, { id: 'old', n: 2 }]]);
    expect(result).toMatchObject({ items: 2, created: 1, updated: 1, unchanged: 0 });
    expect(result.attributes.find((a) => a.attribute === 'n')).toMatchObject({ items: 1, shift: { before: 1, after: 2 } });
  });

  it('compares nested values canonically: key order does not matter, a different value does', () => {
    const result = diffOf([
      [{ id: 'a', address: { city: 'Oslo', zip: '0150' } }, { id: 'a', address: { zip: '0150', city: 'Oslo' } }],
      [{ id: 'b', lines: [{ q: 1 }] }, { id: 'b', lines: [{ q: 2 }] }],
    ]);
    expect(result.unchanged).toBe(1);
    expect(result.attributes.find((a) => a.attribute === 'address')).toMatchObject({ items: 0 });
    expect(result.attributes.find((a) => a.attribute === 'lines')).toMatchObject({ changed: 1, samples: [{ key: { id: 'b' }, before: [{ q: 1 }], after: [{ q: 2 }] }] });
  });

  it('sums numeric shifts exactly beyond 2^53 and without decimal drift', () => {
    const big = Number.MAX_SAFE_INTEGER;
    const result = diffOf([
      [{ id: 'a', n: big, f: 0.1 }, { id: 'a', n: big, f: 0.2 }],
      [{ id: 'b', n: big, f: 0.2 }, { id: 'b', n: 1, f: 0.1 }],
    ]);
    const shift = (name: string) => result.attributes.find((a) => a.attribute === name)?.shift;
    expect(shift('n')).toEqual({ before: '18014398509481982', after: '9007199254740992' });
    expect(shift('f')).toEqual({ before: '0.3', after: '0.3' });
  });

  it('gives the same result whatever order the items arrive in', () => {
    const pairs = demoPairs(2000).map(([b, a]) => [b, a] as const);
    const forward = new GoldenDiff({ maxSamples: 5 });
    const backward = new GoldenDiff({ maxSamples: 5 });
    for (const [b, a] of pairs) forward.add({ orderId: a.orderId }, b, a);
    for (const [b, a] of [...pairs].reverse()) backward.add({ orderId: a.orderId }, b, a);
    expect(backward.result()).toEqual(forward.result());
  });

  it('shows the demo fix: only totalCents and orderDate change, with the exact Σ totalCents shift', () => {
    const pairs = demoPairs(5000);
    const diff = new GoldenDiff({ maxSamples: 3 });
    for (const [before, after] of pairs) diff.add({ orderId: after.orderId }, before, after);
    const result = diff.result();
    const changedAttributes = result.attributes.filter((a) => a.items > 0).map((a) => a.attribute);
    expect(changedAttributes).toEqual(['orderDate', 'totalCents']);
    const centsChanged = pairs.filter(([b, a]) => b.totalCents !== a.totalCents);
    const datesChanged = pairs.filter(([b, a]) => b.orderDate !== a.orderDate);
    expect(centsChanged.length).toBeGreaterThan(0);
    expect(datesChanged.length).toBeGreaterThan(0);
    const totalCents = result.attributes.find((a) => a.attribute === 'totalCents')!;
    expect(totalCents).toMatchObject({ items: centsChanged.length, changed: centsChanged.length, added: 0, removed: 0 });
    expect(totalCents.shift).toEqual({
      before: pairs.reduce((s, [b]) => s + b.totalCents, 0),
      after: pairs.reduce((s, [, a]) => s + a.totalCents, 0),
    });
    const firstCents = [...centsChanged].sort(([, x], [, y]) => (x.orderId < y.orderId ? -1 : 1)).slice(0, 3);
    expect(totalCents.samples).toEqual(firstCents.map(([b, a]) => ({ key: { orderId: a.orderId }, before: b.totalCents, after: a.totalCents })));
    expect(result.attributes.find((a) => a.attribute === 'orderDate')).toMatchObject({ changed: datesChanged.length });
    const bothOrEither = pairs.filter(([b, a]) => b.totalCents !== a.totalCents || b.orderDate !== a.orderDate).length;
    expect(result.unchanged).toBe(pairs.length - bothOrEither);
  });

  it('keeps at most maxSamples per attribute over 50,000 items: the ones with the smallest keys', () => {
    const diff = new GoldenDiff({ maxSamples: 4 });
    const ids: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const id = `k${String((i * 7919) % 50_000).padStart(5, '0')}`;
      ids.push(id);
      diff.add({ id }, { id, n: i }, { id, n: i + 1, note: 'x'.repeat(100) });
    }
    const result = diff.result();
    const n = result.attributes.find((a) => a.attribute === 'n')!;
    expect(n).toMatchObject({ items: 50_000, changed: 50_000, shift: { before: 1_249_975_000, after: 1_250_025_000 } });
    expect(n.samples.map((s) => s.key['id'])).toEqual(ids.sort().slice(0, 4));
    expect(result.attributes.find((a) => a.attribute === 'note')!.samples).toHaveLength(4);
    expect(JSON.stringify(result).length).toBeLessThan(2_000);
  });

  it('cuts long sample values as the rollback rehearsal does, so a sample stays small', () => {
    const long = 'x'.repeat(10_000);
    const [sample] = diffOf([[{ id: 'a', note: 'short' }, { id: 'a', note: long }]]).attributes[1]!.samples;
    expect(sample).toEqual({ key: { id: 'a' }, before: 'short', after: `${'x'.repeat(160)}… (10000 chars)` });
  });

  it('keeps no samples with maxSamples 0 and refuses a maxSamples out of range, naming it', () => {
    expect(diffOf([[{ id: 'a', n: 1 }, { id: 'a', n: 2 }]], 0).attributes[1]!.samples).toEqual([]);
    expect(() => new GoldenDiff({ maxSamples: 1001 })).toThrow(InvalidEvidenceOptionError);
    expect(() => new GoldenDiff({ maxSamples: -1 })).toThrow('maxSamples must be a whole number from 0 to 1000, got -1');
  });
});
