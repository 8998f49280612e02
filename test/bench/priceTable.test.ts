import { readFileSync } from 'node:fs';
import { loadPriceTable, PriceTableSchema, PRICE_TABLE_PATH } from '../../bench/cost/PriceTable';
import { HANDLERS, handlerIdsOf } from '../../lambdas/handlers';

describe('bench/cost/prices.json', () => {
  it('names its region and date and cites an AWS pricing page per service', () => {
    const prices = loadPriceTable();
    expect(prices.region).toBe('us-east-1');
    expect(prices.checked).toMatch(/^2026-11-\d{2}$/);
    for (const section of [prices.dynamodb, prices.stepFunctions, prices.lambda, prices.s3]) expect(section.source).toMatch(/https:\/\/aws\.amazon\.com\/[a-z0-9-]+\/pricing/);
  });

  it('holds the design notes’ prices', () => {
    const prices = loadPriceTable();
    expect(prices.dynamodb.writeRequestUnit * 1e6).toBeCloseTo(0.625);
    expect(prices.dynamodb.readRequestUnit * 1e6).toBeCloseTo(0.125);
    expect(prices.stepFunctions.standardStateTransition * 1e6).toBeCloseTo(25);
    expect(prices.stepFunctions.expressRequest * 1e6).toBeCloseTo(1);
    expect(prices.lambda.request * 1e6).toBeCloseTo(0.2);
    expect(prices.lambda.gbSecondArm64).toBeCloseTo(0.0000133334, 12);
    expect(prices.s3.putCopyPostListRequest * 1000).toBeCloseTo(0.005);
    expect(prices.s3.getAndOtherRequest * 1000).toBeCloseTo(0.0004);
  });

  it('gives every function the memory size the stack deploys', () => {
    // GIVEN the backfill functions' settings in the handler registry the stack deploys
    const deployed = Object.fromEntries(handlerIdsOf('backfill').map((id) => [id, HANDLERS[id].memorySizeMb]));
    // THEN the price table bills the same memory
    expect(Object.keys(deployed).length).toBeGreaterThanOrEqual(6);
    expect(loadPriceTable().functions.memoryMb).toEqual(deployed);
  });

  it('refuses a table without a source or with a negative price', () => {
    const table = JSON.parse(readFileSync(PRICE_TABLE_PATH, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(PriceTableSchema.safeParse({ ...table, lambda: { ...table.lambda, source: 'somewhere' } }).success).toBe(false);
    expect(PriceTableSchema.safeParse({ ...table, s3: { ...table.s3, getAndOtherRequest: -1 } }).success).toBe(false);
  });
});
