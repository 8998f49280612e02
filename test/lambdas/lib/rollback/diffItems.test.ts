import { boundedChanges, diffItems, formatChange, SHOWN_VALUE_CHARS } from '../../../../lambdas/lib/rollback/diffItems';

/** diffItems: what a conflict prints instead of two JSON blobs cut short. */
describe('diffItems', () => {
  it('lists changed, added and removed attributes in path order', () => {
    const changes = diffItems({ orderId: 'o1', totalCents: 1999, coupon: 'X' }, { orderId: 'o1', totalCents: 2010, note: 'gift' });
    expect(changes).toEqual([
      { path: 'coupon', kind: 'removed', before: 'X' },
      { path: 'note', kind: 'added', after: 'gift' },
      { path: 'totalCents', kind: 'changed', before: 1999, after: 2010 },
    ]);
    expect(changes.map(formatChange)).toEqual(['- coupon: "X"', '+ note: "gift"', 'totalCents: 1999 → 2010']);
  });

  it('follows maps and lists to the attribute that differs, quoting keys that are no identifiers', () => {
    const before = { id: 'a', address: { city: 'Lyon', zip: '69001' }, lines: [{ sku: 's1', qty: 1 }], 'odd key': 1 };
    const after = { id: 'a', address: { city: 'Paris', zip: '69001' }, lines: [{ sku: 's1', qty: 2 }, { sku: 's2', qty: 1 }], 'odd key': 2 };
    expect(diffItems(before, after).map(formatChange)).toEqual([
      'address.city: "Lyon" → "Paris"',
      'lines[0].qty: 1 → 2',
      '+ lines[1]: {"sku":"s2","qty":1}',
      '["odd key"]: 1 → 2',
    ]);
  });

  it('is empty for equal items whatever their attribute order, and one change for a whole item created or deleted', () => {
    expect(diffItems({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([]);
    expect(diffItems(null, null)).toEqual([]);
    expect(diffItems({ a: 1 }, null).map(formatChange)).toEqual(['item deleted']);
    expect(diffItems(null, { a: 1 }).map(formatChange)).toEqual(['item created']);
    expect(diffItems({ a: [1, 2] }, { a: 'x' })).toEqual([{ path: 'a', kind: 'changed', before: [1, 2], after: 'x' }]);
  });

  it('bounds what a payload carries: the first changes, long values shortened with their length', () => {
    const long = 'x'.repeat(SHOWN_VALUE_CHARS * 2);
    const changes = diffItems({ a: 1, b: 1, c: long }, { a: 2, b: 2, c: 'short' });
    const bounded = boundedChanges(changes, 2);
    expect(bounded.map((c) => c.path)).toEqual(['a', 'b']);
    const [shortened] = boundedChanges(changes.slice(2), 1);
    expect(shortened).toEqual({ path: 'c', kind: 'changed', before: `${'x'.repeat(SHOWN_VALUE_CHARS)}… (${long.length} chars)`, after: 'short' });
    const [list] = boundedChanges(diffItems({ l: [long] }, { l: 'x' }), 1);
    expect(list!.before).toBe(`${JSON.stringify([long]).slice(0, SHOWN_VALUE_CHARS)}… (${long.length + 4} chars of JSON)`);
  });
});
