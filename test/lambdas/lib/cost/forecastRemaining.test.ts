import { forecastRemaining, InvalidForecastInputError, loadPriceTable, type ForecastInput, type ForecastResult, type StageUsage } from '../../../../lambdas/lib/cost';

const prices = loadPriceTable();

const usage: StageUsage = {
  dynamodbReadUnits: 2000,
  dynamodbWriteUnits: 1600,
  s3Gets: 4,
  s3Puts: 6,
  lambdaGbSeconds: 3,
  lambdaRequests: 2,
  stateTransitions: 10,
  expressRequests: 2,
  expressGbSeconds: 0.5,
};
// A canary of 2 batches / 1,000 records in 4 s; 49,000 records left: every quantity × 49.
const canary: ForecastInput = { stage: { batches: 2, records: 1000, elapsedMs: 4000, usage }, remaining: { batches: 98, records: 49_000 } };

function forecastOf(result: ForecastResult) {
  if (result.status !== 'forecast') throw new Error(`expected a forecast, got ${result.status}: ${result.reason}`);
  return result;
}
const usdByItem = (result: ForecastResult) => Object.fromEntries(forecastOf(result).lines.map((l) => [l.item, l.usd]));

describe('forecastRemaining', () => {
  it('prices a canary against a hand-computed example (the table of 2026-11-22)', () => {
    // GIVEN the table's prices (USD): read unit 1.25e-7, write unit 6.25e-7, S3 GET 4e-7, PUT 5e-6,
    // Lambda GB-s 1.33334e-5, request 2e-7, transition 2.5e-5, express request 1e-6, express GB-s 1.667e-5
    expect(prices.checked).toBe('2026-11-22');
    // WHEN the canary is scaled ×49
    const forecast = forecastOf(forecastRemaining(canary, prices));
    // THEN each line is quantity × 49 × price, rounded to the micro-dollar
    expect(usdByItem(forecast)).toEqual({
      dynamodbReadUnits: 0.01225, // 98,000 × 1.25e-7
      dynamodbWriteUnits: 0.049, // 78,400 × 6.25e-7
      s3Gets: 0.000078, // 196 × 4e-7 = 0.0000784
      s3Puts: 0.00147, // 294 × 5e-6
      lambdaGbSeconds: 0.00196, // 147 × 1.33334e-5 = 0.00196001
      lambdaRequests: 0.00002, // 98 × 2e-7 = 0.0000196
      stateTransitions: 0.01225, // 490 × 2.5e-5
      expressRequests: 0.000098, // 98 × 1e-6
      expressGbSeconds: 0.000408, // 24.5 × 1.667e-5 = 0.000408415
    });
    expect(forecast.lines.find((l) => l.item === 'dynamodbWriteUnits')).toMatchObject({ service: 'DynamoDB', quantity: 78_400, unit: 'write units', unitPriceUsd: 6.25e-7 });
    // AND the total is the sum of the rounded lines
    expect(forecast.totalUsd).toBe(0.077534);
    // AND the time is the stage's rate (250 records/s) applied to 49,000 records
    expect(forecast.time).toEqual({ recordsPerSecond: 250, ms: 196_000, seconds: 196 });
    expect(forecast.scale).toBe(49);
    expect(forecast.remaining).toEqual({ batches: 98, records: 49_000 });
  });

  it('names the price table’s region, date and sources, and what is not counted', () => {
    const forecast = forecastOf(forecastRemaining(canary, prices));
    expect(forecast.prices).toEqual({
      region: 'us-east-1',
      checked: '2026-11-22',
      currency: 'USD',
      sources: { dynamodb: prices.dynamodb.source, s3: prices.s3.source, lambda: prices.lambda.source, stepFunctions: prices.stepFunctions.source },
    });
    expect(forecast.notCounted.join('; ')).toMatch(/storage.*data transfer.*CloudWatch Logs/);
  });

  it('uses the prices it is given, not a built-in table', () => {
    // GIVEN a table where a write unit costs ten times as much
    const dearer = { ...prices, dynamodb: { ...prices.dynamodb, writeRequestUnit: 6.25e-6 } };
    // THEN only the write line changes, tenfold
    const cheap = usdByItem(forecastRemaining(canary, prices));
    const dear = usdByItem(forecastRemaining(canary, dearer));
    expect(dear).toEqual({ ...cheap, dynamodbWriteUnits: 0.49 });
  });

  describe('scaling', () => {
    it('scales every line and the time linearly with the remaining records', () => {
      const single = forecastOf(forecastRemaining({ ...canary, remaining: { batches: 20, records: 10_000 } }, prices));
      const double = forecastOf(forecastRemaining({ ...canary, remaining: { batches: 40, records: 20_000 } }, prices));
      expect(double.lines.map((l) => l.quantity)).toEqual(single.lines.map((l) => l.quantity * 2));
      expect(double.time.ms).toBe(single.time.ms * 2);
      expect(double.totalUsd).toBeCloseTo(single.totalUsd * 2, 5);
    });

    it('scales by records, not batches (the remaining batches may hold more records each)', () => {
      const fewerBatches = forecastOf(forecastRemaining({ ...canary, remaining: { batches: 10, records: 49_000 } }, prices));
      expect(fewerBatches.lines).toEqual(forecastOf(forecastRemaining(canary, prices)).lines);
      expect(fewerBatches.time.ms).toBe(196_000);
    });

    it('forecasts the stage itself when as many records remain as it processed', () => {
      const same = forecastOf(forecastRemaining({ ...canary, remaining: { batches: 2, records: 1000 } }, prices));
      expect(Object.fromEntries(same.lines.map((l) => [l.item, l.quantity]))).toEqual(usage);
      expect(same.time.ms).toBe(4000);
    });

    it('forecasts nothing left as zero time and zero dollars', () => {
      const done = forecastOf(forecastRemaining({ ...canary, remaining: { batches: 0, records: 0 } }, prices));
      expect(done.time).toEqual({ recordsPerSecond: 250, ms: 0, seconds: 0 });
      expect(done.totalUsd).toBe(0);
      expect(done.lines.every((l) => l.quantity === 0 && l.usd === 0)).toBe(true);
    });

    it('is deterministic: the same input gives the same forecast', () => {
      expect(forecastRemaining(canary, prices)).toEqual(forecastRemaining(structuredClone(canary), prices));
    });
  });

  describe('when it cannot forecast', () => {
    it('says so for a stage with no records, naming the reason and keeping the table’s date', () => {
      const result = forecastRemaining({ ...canary, stage: { ...canary.stage, records: 0 } }, prices);
      expect(result).toEqual({ status: 'cannot-forecast', reason: expect.stringMatching(/no records/), remaining: canary.remaining, prices: expect.objectContaining({ checked: '2026-11-22' }) });
    });

    it('says so for a stage that took no measurable time', () => {
      const result = forecastRemaining({ ...canary, stage: { ...canary.stage, elapsedMs: 0 } }, prices);
      expect(result).toMatchObject({ status: 'cannot-forecast', reason: expect.stringMatching(/no measurable time/) });
    });
  });

  describe('bad input', () => {
    it.each([
      ['stage.records', { ...canary, stage: { ...canary.stage, records: -5 } }, /stage\.records must be a non-negative integer, got -5/],
      ['stage.records', { ...canary, stage: { ...canary.stage, records: 2.5 } }, /stage\.records must be a non-negative integer, got 2\.5/],
      ['stage.elapsedMs', { ...canary, stage: { ...canary.stage, elapsedMs: Number.NaN } }, /stage\.elapsedMs must be a finite number ≥ 0, got NaN/],
      ['stage.usage.s3Puts', { ...canary, stage: { ...canary.stage, usage: { ...usage, s3Puts: -1 } } }, /stage\.usage\.s3Puts must be a finite number ≥ 0, got -1/],
      ['stage.usage.expressGbSeconds', { ...canary, stage: { ...canary.stage, usage: { ...usage, expressGbSeconds: Number.POSITIVE_INFINITY } } }, /got Infinity/],
      ['remaining.batches', { ...canary, remaining: { ...canary.remaining, batches: -1 } }, /remaining\.batches must be a non-negative integer, got -1/],
    ])('refuses a bad %s with a named error', (field, input, message) => {
      const attempt = () => forecastRemaining(input, prices);
      expect(attempt).toThrow(InvalidForecastInputError);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (error) {
        expect(error).toMatchObject({ name: 'InvalidForecastInputError', field });
      }
    });

    it('refuses usage with a missing item', () => {
      const { lambdaRequests: _omitted, ...partial } = usage;
      const input = { ...canary, stage: { ...canary.stage, usage: partial as StageUsage } };
      expect(() => forecastRemaining(input, prices)).toThrow(/stage\.usage\.lambdaRequests must be a finite number ≥ 0, got undefined/);
    });
  });
});
