import { z } from 'zod';
import { quarantineKey } from '../../../../lambdas/lib/artifacts';
import { processBatch } from '../../../../lambdas/lib/worker';
import { recomputeItems } from '../../../../lambdas/lib/worker/recomputeItems';
import { keyProblem } from '../../../../lambdas/lib/worker/targetKeys';
import { getTransform, type Transform } from '../../../../lambdas/transforms';
import { doubler, sourceLines } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture } from '../../support/fixture';

const ORDERS = { tableName: 'order-summaries', partitionKey: 'orderId', versionAttribute: 'version' };

const order = (orderId: string, placedAt: string) => ({ orderId, version: 1, customerId: 'cust-1', placedAt, currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '1.00' }] });

describe('recomputeItems', () => {
  it('rejects a record whose output fails the output schema (order-summary@2, a placedAt that overflows orderDate) and keeps the others', () => {
    const transform = getTransform('order-summary@2') as Transform;
    const records = [order('ord-1', '2024-03-09T23:30:00-08:00'), order('ord-2', '9999-12-31T23:30:00-08:00')].map((record, i) => ({ line: i + 1, record, raw: JSON.stringify(record) }));

    const { items, produced, rejected } = recomputeItems(transform, ORDERS, records);

    expect(items.map((i) => i.item.orderId)).toEqual(['ord-1']);
    expect(produced).toBe(1);
    expect(rejected).toEqual([{ line: 2, reason: expect.stringMatching(/^order-summary@2 produced an item that fails its output schema: orderDate: orderDate must be a date YYYY-MM-DD/), raw: records[1]!.raw }]);
  });
});

describe('keyProblem', () => {
  const target = (types: { partitionKeyType?: 'S' | 'N' | 'B'; sortKeyType?: 'S' | 'N' | 'B' }) => ({ tableName: 't', partitionKey: 'pk', sortKey: 'sk', versionAttribute: 'version', ...types });

  it.each<[string, Record<string, unknown>, ReturnType<typeof target>, string | undefined]>([
    ['string keys by default', { pk: 'a', sk: 'b', version: 1 }, target({}), undefined],
    ['a number where S is declared (the default)', { pk: 7, sk: 'b', version: 1 }, target({}), 'key attribute pk must be S (a non-empty string), got 7'],
    ['a declared number key', { pk: 'a', sk: 3, version: 1 }, target({ sortKeyType: 'N' }), undefined],
    ['a string where N is declared', { pk: 'a', sk: '3', version: 1 }, target({ sortKeyType: 'N' }), 'key attribute sk must be N (a finite number), got "3"'],
    ['a declared binary key', { pk: new Uint8Array([1, 2]), sk: 'b', version: 1 }, target({ partitionKeyType: 'B' }), undefined],
    ['a string where B is declared', { pk: 'AQI=', sk: 'b', version: 1 }, target({ partitionKeyType: 'B' }), 'key attribute pk must be B (non-empty binary (a Uint8Array)), got "AQI="'],
    ['a missing key', { sk: 'b', version: 1 }, target({}), 'key attribute pk must be S (a non-empty string), got undefined'],
    ['an empty string key', { pk: '', sk: 'b', version: 1 }, target({}), 'key attribute pk must be S (a non-empty string), got ""'],
    ['a version that is not a number', { pk: 'a', sk: 'b', version: '1' }, target({}), 'version attribute version must be a number, got "1"'],
  ])('%s', (_, item, t, expected) => {
    expect(keyProblem(item, t)).toBe(expected);
  });
});

/** A doubler that fails on some records: throws for n = 3, breaks its output schema for n = 5, gives a number key for n = 7. */
const flaky: Transform = {
  ...(doubler as Transform),
  outputSchema: z.object({ id: z.unknown(), version: z.number().int(), doubled: z.number() }).strict(),
  apply: (input) => {
    const record = input as { id: string; version: number; n: number };
    if (record.n === 3) throw new RangeError('n = 3 is out of range');
    if (record.n === 5) return [{ id: record.id, version: record.version, doubled: 'ten' }];
    if (record.n === 7) return [{ id: 7, version: record.version, doubled: 14 }];
    return [{ id: record.id, version: record.version, doubled: record.n * 2 }];
  },
};

/** Invariant 8 for transform output: one bad record is quarantined, never fails its batch. */
describe.each(dynamoTargets())('bad transform output on %s', (target) => {
  const env = useEmulators(target);

  it('quarantines a record whose transform throws, breaks its output schema or gives a key of the wrong type; the batch completes with the rest', async () => {
    const f = await createFixture(env(), { batchSize: 10 });
    const [item] = await f.plan(sourceLines(8, 1));

    const outcome = await processBatch(f.deps, { ...f.ctx('attempt-a'), transform: flaky }, item!);

    // THEN the batch is DONE, the three bad records are counted malformed, and the other five written
    expect(outcome.counts).toEqual({ read: 8, malformed: 3, produced: 5, written: 5, created: 5, unchanged: 0, skippedNewer: 0, skippedChanged: 0 });
    expect(await f.batch(item!.batchId)).toMatchObject({ status: 'DONE', quarantineKey: quarantineKey({ runId: f.runId, batchId: item!.batchId }) });
    const quarantined = (await f.readArtifact(quarantineKey({ runId: f.runId, batchId: item!.batchId })))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { line: number; reason: string; raw: string });
    expect(quarantined.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 3, reason: 'doubler@1 threw on this record: RangeError: n = 3 is out of range' },
      { line: 5, reason: 'doubler@1 produced an item that fails its output schema: doubled: Invalid input: expected number, received string' },
      { line: 7, reason: 'doubler@1 produced an item the target cannot take: key attribute id must be S (a non-empty string), got 7' },
    ]);
    expect(quarantined[0]!.raw).toBe(sourceLines(8, 1)[2]);
  });
});
