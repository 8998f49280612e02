import { costOfRun, expressGbSeconds, floorCost, lambdaGbSeconds, naiveCost, perMillionRecords, readEveryKeyFloorCost, s3RequestClasses, type RunUsage } from '../../bench/cost/costModel';
import { loadPriceTable } from '../../lambdas/lib/cost/priceTable';

const prices = loadPriceTable();

/** A small run: 1,000 records in 2 batches, 250 items changed. */
function usage(overrides: Partial<RunUsage> = {}): RunUsage {
  return {
    records: 1000,
    batches: 2,
    changedItems: 250,
    keysRead: 1000,
    targetTable: 'target',
    api: {
      requests: { 'DynamoDB.PutItem': 256, 'DynamoDB.BatchGetItem': 10, 'S3.GetObject': 3, 'S3.PutObject': 4, 'S3.ListObjectsV2': 1, 'S3.DeleteObject': 2 },
      errors: {},
      dynamodb: {
        target: { readUnits: 1000, writeUnits: 250, conditionalFailures: 0, conditionalFailureWriteUnits: 0 },
        ledger: { readUnits: 2, writeUnits: 12, conditionalFailures: 1, conditionalFailureWriteUnits: 1 },
      },
    },
    parentTransitions: 6,
    expressChildren: 2,
    childTransitions: 2,
    childDurationMs: 2_100,
    lambdas: { worker: { invocations: 2, durationsMs: [1000.2, 999] }, plan: { invocations: 1, durationsMs: [10] } },
    ...overrides,
  };
}

const item = (cost: { lines: readonly { item: string; usd: number; quantity: number }[] }, match: string) => cost.lines.find((l) => l.item.includes(match))!;

describe('cost model', () => {
  it('prices DynamoDB capacity per table, refused conditional writes included', () => {
    // WHEN
    const cost = costOfRun(usage(), prices);
    // THEN: 250 target write units at $0.625 per million, 1,000 read units at $0.125 per million
    expect(item(cost, 'target writes').usd).toBeCloseTo(250 * 0.625e-6, 12);
    expect(item(cost, 'target reads').usd).toBeCloseTo(1000 * 0.125e-6, 12);
    expect(item(cost, 'ledger writes').quantity).toBe(13);
  });

  it('bills one standard transition per child start on top of the parent transitions', () => {
    const cost = costOfRun(usage(), prices);
    expect(item(cost, 'parent state transitions').quantity).toBe(6);
    expect(item(cost, 'child starts').quantity).toBe(2);
    expect(item(cost, 'express child requests').usd).toBeCloseTo(2e-6, 12);
  });

  it('bills Lambda in 1 ms steps at the configured memory', () => {
    // 1001 ms + 999 ms at 1024 MB = 2.0 GB-s
    expect(lambdaGbSeconds([1000.2, 999], 1024, 1)).toBeCloseTo(2.0, 9);
    expect(lambdaGbSeconds([0.2], 256, 1)).toBeCloseTo(0.001 * 0.25, 12);
  });

  it('bills each express child in 100 ms steps at 64 MB, with the engine overhead shared out', () => {
    // children: 1000.2 + 50 → 1100 ms, 999 + 50 → 1100 ms (overhead (2100 − 1999.2) / 2 ≈ 50 ms)
    expect(expressGbSeconds(usage(), prices)).toBeCloseTo(2.2 * (64 / 1024), 9);
  });

  it('sorts S3 requests into PUT/LIST, GET/other and free classes', () => {
    expect(s3RequestClasses(usage().api, prices)).toEqual({ putClass: 5, getClass: 3, free: 2 });
  });

  it('sets the floor at the changed items: their writes, and half a read unit per pre-image', () => {
    const floor = floorCost(usage(), prices);
    expect(floor.lines).toHaveLength(2);
    expect(item(floor, 'writes').quantity).toBe(250);
    expect(item(floor, 'pre-image reads').quantity).toBe(125);
    expect(floor.totalUsd).toBeCloseTo(250 * 0.625e-6 + 125 * 0.125e-6, 12);
  });

  it('sizes the floor reads from the writes, so it does not move with how the design reads', () => {
    const halvedReads = usage({ api: { ...usage().api, dynamodb: { ...usage().api.dynamodb, target: { readUnits: 500, writeUnits: 250, conditionalFailures: 0, conditionalFailureWriteUnits: 0 } } } });
    expect(floorCost(halvedReads, prices).totalUsd).toBeCloseTo(floorCost(usage(), prices).totalUsd, 12);
    // 5 KB items: 5 write units and 2 read units (4 KB each) per item
    const large = usage({ api: { ...usage().api, dynamodb: { target: { readUnits: 2000, writeUnits: 1250, conditionalFailures: 0, conditionalFailureWriteUnits: 0 } } } });
    expect(item(floorCost(large, prices), 'pre-image reads').quantity).toBe(250);
  });

  it('prices the floor plus reading every key once: the changed items\' writes and half a read unit per key', () => {
    const cost = readEveryKeyFloorCost(usage(), prices);
    expect(item(cost, 'writes').quantity).toBe(250);
    expect(item(cost, 'every key').quantity).toBe(500);
    expect(cost.totalUsd).toBeCloseTo(250 * 0.625e-6 + 500 * 0.125e-6, 12);
  });

  it('models the naive design as one standard child and one Lambda call per record', () => {
    const naive = naiveCost(usage(), prices);
    // 1,000 records × (1 start + 1 state) transitions at $25 per million
    expect(item(naive, 'standard children').quantity).toBe(2000);
    expect(item(naive, 'worker requests').quantity).toBe(1000);
    // ledger per batch (13 write units / 2 batches) for each of 1,000 one-record batches
    expect(item(naive, 'ledger writes').quantity).toBe(6500);
    expect(naive.totalUsd).toBeGreaterThan(costOfRun(usage(), prices).totalUsd * 50);
  });

  it('projects to a million records, paying per-run lines once', () => {
    const projected = perMillionRecords(costOfRun(usage(), prices), 1000);
    expect(item(projected, 'parent state transitions').quantity).toBe(6);
    expect(item(projected, 'child starts').quantity).toBe(2000);
    expect(item(projected, 'target writes').quantity).toBe(250_000);
  });

  it('refuses a function the price table gives no memory size', () => {
    expect(() => costOfRun(usage({ lambdas: { mystery: { invocations: 1, durationsMs: [1] } } }), prices)).toThrow(/functions\.memoryMb/);
  });
});
