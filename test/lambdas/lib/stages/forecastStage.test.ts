import { loadPriceTable } from '../../../../lambdas/lib/cost';
import type { BatchRecord } from '../../../../lambdas/lib/ledger';
import { forecastStage } from '../../../../lambdas/lib/stages/validate/forecastStage';
import { measureStage } from '../../../../lambdas/lib/stages/validate/measureStage';

const prices = loadPriceTable();
const usage = { dynamodbReadRequests: 2, dynamodbWriteRequests: 10, dynamodbReadUnits: 1, dynamodbWriteUnits: 10, s3Gets: 1, s3Puts: 2 };
const record = (batchId: string, startedAtMs: number, durationMs: number): BatchRecord => ({
  runId: 'r1', batchId, status: 'DONE', attempt: 1, updatedAt: '2026-01-01T00:00:00.000Z',
  counts: { read: 100, malformed: 0, produced: 100, written: 10, created: 0, unchanged: 90, skippedNewer: 0, skippedChanged: 0 },
  evidence: { outputHash: 'h', ruleViolations: {}, ruleSamples: [], usage: { ...usage, startedAtMs, durationMs } },
});

describe('measureStage', () => {
  it('sums the batches\' metered usage, spans first start to last end, and bills the workers\' time', () => {
    // GIVEN two batches run side by side, 1 s and 2 s, starting 0.5 s apart
    const measured = measureStage([record('b0000000', 1000, 1000), record('b0000001', 1500, 2000)], { batchesPerWorker: 1 }, prices);
    expect(measured).toMatchObject({ batches: 2, records: 200, elapsedMs: 2500, workerMs: 3000 });
    expect(measured.usage).toMatchObject({ dynamodbReadUnits: 2, dynamodbWriteUnits: 20, s3Gets: 2, s3Puts: 4, lambdaRequests: 2, expressRequests: 2 });
    // 3 s at the worker's 1024 MB
    expect(measured.usage.lambdaGbSeconds).toBeCloseTo(3 * (prices.functions.memoryMb.worker! / 1024), 9);
  });
});

describe('forecastStage', () => {
  it('forecasts the rest at its own parallelism: a 1-batch canary of 2 s, 20 batches left at maxConcurrency 4, takes 10 s', () => {
    const measured = measureStage([record('b0000000', 0, 2000)], { batchesPerWorker: 1 }, prices);
    const forecast = forecastStage(measured, { batches: 20, records: 2000 }, { batchesPerWorker: 1, maxConcurrency: 4 }, prices);
    expect(forecast).toMatchObject({ status: 'forecast', scale: 20, time: { seconds: 10 } });
    // dollars: 20 × the canary's metered write units, at the table's price
    const writes = forecast.status === 'forecast' ? forecast.lines.find((l) => l.item === 'dynamodbWriteUnits')! : undefined;
    expect(writes).toMatchObject({ quantity: 200, usd: Math.round(200 * prices.dynamodb.writeRequestUnit * 1e6) / 1e6 });
  });

  it('cannot forecast a stage that took no measurable time', () => {
    const measured = measureStage([record('b0000000', 0, 0)], { batchesPerWorker: 1 }, prices);
    expect(forecastStage(measured, { batches: 1, records: 100 }, { batchesPerWorker: 1, maxConcurrency: 2 }, prices)).toMatchObject({ status: 'cannot-forecast' });
  });
});

describe('forecastStage on a canary whose first calls are slow (warm-up)', () => {
  // GIVEN a 3-batch canary at maxConcurrency 2: the first two calls run side by side and take 6 s
  // (a cold process), the third starts when the first ends and takes 3 s, as the rest's calls do
  const canary = [record('b0000000', 0, 6000), record('b0000001', 0, 6000), record('b0000002', 6000, 3000)];
  const spec = { batchesPerWorker: 1, maxConcurrency: 2 };

  it('forecasts from the median warm batch (started after the first call ended), not the cold wall span', () => {
    const measured = measureStage(canary, spec, prices);
    // 40 batches left, 2 at a time, 3 s each: 60 s (the 9 s span scaled would say 9 × 40/3 ÷ 1 = 120 s)
    const forecast = forecastStage(measured, { batches: 40, records: 4000 }, spec, prices);
    expect(forecast).toMatchObject({ status: 'forecast', time: { seconds: 60, basis: 'warm-batch-median', basisBatches: 1 } });
  });

  it('says it used the stage span when every batch was a first call', () => {
    const measured = measureStage(canary.slice(0, 2), spec, prices);
    const forecast = forecastStage(measured, { batches: 40, records: 4000 }, spec, prices);
    // 6 s span × 40/2 × parallelism 2/2
    expect(forecast).toMatchObject({ status: 'forecast', time: { seconds: 120, basis: 'stage-span', basisBatches: 2 } });
  });

  it('takes the median of the warm batches, so one slow straggler does not move it', () => {
    const warm = [record('b0000002', 6000, 3000), record('b0000003', 6000, 3000), record('b0000004', 9000, 9000)];
    const measured = measureStage([...canary.slice(0, 2), ...warm], spec, prices);
    const forecast = forecastStage(measured, { batches: 40, records: 4000 }, spec, prices);
    expect(forecast).toMatchObject({ status: 'forecast', time: { seconds: 60, basis: 'warm-batch-median', basisBatches: 3 } });
  });
});
