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
