import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../../lambdas/lib/canonicalJson';
import { canonicalItem, outputHashOf, outputHashOfCanonical, stampItem } from '../../../../lambdas/lib/worker';
import type { TargetItem } from '../../../../lambdas/transforms/Transform';

const stamp = { runId: 'run-1', transform: 'order-summary@2', batchId: 'b0000003' };

/** Items of every shape the canonical form has to get right. */
const FIXTURES: Record<string, TargetItem> = {
  flat: { orderId: 'o1', totalCents: 1999, currency: 'EUR', paid: true, note: null },
  nested: { id: 'x', lines: [{ sku: 'b', qty: 2 }, { qty: 1, sku: 'a' }], meta: { z: 1, a: { y: [3, 2], b: 'c' } } },
  'integer-like names (listed first, as numbers)': { id: 'k', 10: 'ten', 9: 'nine', b: 1, 0: 'zero', '01': 'not an index' },
  'undefined attributes (left out)': { id: 'u', gone: undefined, kept: 0 },
  'names around the stamps': { aaa: 1, backfillA: 2, backfillRunIdX: 3, backfillZ: 4, zzz: 5, 'ünï': 6 },
  'stale stamps (replaced)': { id: 's', backfillRunId: 'old-run', backfillBatchId: 'b9', backfillTransform: 'old@1' },
  'numbers and strings that need escapes': { id: 'q"\\\n', n: -0.000001, big: 1e21, e: '' },
  empty: {},
};

describe('canonicalItem', () => {
  it.each(Object.entries(FIXTURES))('builds exactly canonicalJson of the item and of the stamped item: %s', (_name, item) => {
    const canonical = canonicalItem(item);
    expect(canonical.json).toBe(canonicalJson(item));
    expect(canonical.stamped(stamp)).toBe(canonicalJson(stampItem(item, stamp)));
  });
});

describe('outputHashOfCanonical', () => {
  it('gives the same hash as the old outputHashOf (sha256 of each item canonicalised again)', () => {
    const items = Object.values(FIXTURES).map((item, i) => ({ key: { id: String(i) }, item }));
    const old = createHash('sha256');
    for (const { item } of items) old.update(`${canonicalJson(item)}\n`);
    expect(outputHashOfCanonical(items.map(({ item }) => canonicalItem(item).json))).toBe(old.digest('hex'));
    expect(outputHashOf(items)).toBe(outputHashOfCanonical(items.map(({ item }) => canonicalItem(item).json)));
  });
});
