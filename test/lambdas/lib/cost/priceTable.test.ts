import * as path from 'node:path';
import { build } from 'esbuild';
import { HANDLERS, handlerIdsOf } from '../../../../lambdas/handlers';
import { loadPriceTable, PriceTableSchema, PRICE_TABLE_JSON } from '../../../../lambdas/lib/cost/priceTable';

describe('lambdas/lib/cost/prices.json', () => {
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
    const table = PRICE_TABLE_JSON as Record<string, Record<string, unknown>>;
    expect(PriceTableSchema.safeParse({ ...table, lambda: { ...table.lambda, source: 'somewhere' } }).success).toBe(false);
    expect(PriceTableSchema.safeParse({ ...table, s3: { ...table.s3, getAndOtherRequest: -1 } }).success).toBe(false);
  });

  it('is bundled into Lambda code by esbuild (not read from disk by path)', async () => {
    // GIVEN a tiny entry that imports the loader, bundled the way the stack bundles a handler
    const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
    const entry = path.join(__dirname, 'fixtures', 'priceTableEntry.ts');
    const result = await build({ absWorkingDir: repoRoot, entryPoints: [entry], bundle: true, platform: 'node', target: 'node22', format: 'cjs', write: false, metafile: true });
    // THEN the JSON is an input of the bundle and its prices are in the output
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('lambdas/lib/cost/prices.json');
    const code = result.outputFiles[0]!.text;
    // AND the bundle, run on its own, loads the table
    const bundled: { exports: unknown } = { exports: {} };
    new Function('module', 'exports', 'require', code)(bundled, bundled.exports, require);
    expect(bundled.exports).toEqual({ checked: loadPriceTable().checked });
  });
});
