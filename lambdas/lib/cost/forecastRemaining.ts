import { checkForecastInput, USAGE_ITEMS } from './checkForecastInput';
import type { ForecastInput, ForecastLine, ForecastPrices, ForecastResult, UsageItem } from './forecastTypes';
import type { PriceTable } from './priceTable';

/** Left out of every forecast; shown next to its dollars so nobody reads them as the whole bill. */
export const NOT_COUNTED: readonly string[] = [
  'storage (GB-month) of the target table, the ledger and the snapshots',
  'data transfer',
  'CloudWatch Logs, metrics and X-Ray',
  'KMS, SNS and Secrets Manager requests',
  'free tiers (list prices, nothing deducted)',
  'retries and throttling beyond what the stage itself met',
];

type Pricing = Omit<ForecastLine, 'item' | 'quantity' | 'usd'>;

function pricingOf(item: UsageItem, prices: PriceTable): Pricing {
  const { dynamodb, s3, lambda, stepFunctions: sfn } = prices;
  const table: Record<UsageItem, Pricing> = {
    dynamodbReadUnits: { service: 'DynamoDB', description: 'read request units', unit: 'read units', unitPriceUsd: dynamodb.readRequestUnit },
    dynamodbWriteUnits: { service: 'DynamoDB', description: 'write request units', unit: 'write units', unitPriceUsd: dynamodb.writeRequestUnit },
    s3Gets: { service: 'S3', description: 'GET and other requests', unit: 'requests', unitPriceUsd: s3.getAndOtherRequest },
    s3Puts: { service: 'S3', description: 'PUT, COPY, POST, LIST requests', unit: 'requests', unitPriceUsd: s3.putCopyPostListRequest },
    lambdaGbSeconds: { service: 'Lambda', description: 'duration (arm64)', unit: 'GB-s', unitPriceUsd: lambda.gbSecondArm64 },
    lambdaRequests: { service: 'Lambda', description: 'requests', unit: 'requests', unitPriceUsd: lambda.request },
    stateTransitions: { service: 'Step Functions', description: 'standard state transitions', unit: 'transitions', unitPriceUsd: sfn.standardStateTransition },
    expressRequests: { service: 'Step Functions', description: 'express requests', unit: 'requests', unitPriceUsd: sfn.expressRequest },
    expressGbSeconds: { service: 'Step Functions', description: 'express duration', unit: 'GB-s', unitPriceUsd: sfn.expressGbSecond },
  };
  return table[item];
}

function pricesOf(prices: PriceTable): ForecastPrices {
  return {
    region: prices.region,
    checked: prices.checked,
    currency: prices.currency,
    sources: { dynamodb: prices.dynamodb.source, s3: prices.s3.source, lambda: prices.lambda.source, stepFunctions: prices.stepFunctions.source },
  };
}

const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;
const toMicroUsd = (usd: number): number => Math.round(usd * 1e6);

/**
 * Forecasts the rest of a run from a finished stage: time at the stage's measured rate
 * (records per second), dollars from the stage's metered usage scaled to the remaining records
 * and priced with `prices`. Pure and deterministic.
 *
 * Assumes the remaining records cost what the stage's did per record (same transform, same share
 * of changed items, same records per batch). A stage with no records or no elapsed time gives
 * `status: 'cannot-forecast'` with the reason; a negative, NaN or fractional count throws
 * {@link InvalidForecastInputError}.
 *
 * @example
 * const forecast = forecastRemaining(
 *   { stage: { batches: 2, records: 1000, elapsedMs: 4000, usage }, remaining: { batches: 98, records: 49000 } },
 *   loadPriceTable(),
 * );
 * // forecast.status === 'forecast'; forecast.time.seconds === 196; forecast.totalUsd: 49 × the stage's dollars
 */
export function forecastRemaining(input: ForecastInput, prices: PriceTable): ForecastResult {
  checkForecastInput(input);
  const { stage, remaining } = input;
  const priceSummary = pricesOf(prices);
  const remainingCounts = { batches: remaining.batches, records: remaining.records };
  if (stage.records === 0) {
    return { status: 'cannot-forecast', reason: 'the stage processed no records, so there is no per-record rate or cost to scale from', remaining: remainingCounts, prices: priceSummary };
  }
  if (stage.elapsedMs === 0) {
    return { status: 'cannot-forecast', reason: 'the stage took no measurable time, so there is no rate to scale from', remaining: remainingCounts, prices: priceSummary };
  }
  const scale = remaining.records / stage.records;
  const lines = USAGE_ITEMS.map((item): ForecastLine => {
    const pricing = pricingOf(item, prices);
    const quantity = stage.usage[item] * scale;
    return { item, ...pricing, quantity: round(quantity, 3), usd: toMicroUsd(quantity * pricing.unitPriceUsd) / 1e6 };
  });
  const totalMicroUsd = lines.reduce((sum, l) => sum + toMicroUsd(l.usd), 0);
  const ms = Math.round(stage.elapsedMs * scale);
  return {
    status: 'forecast',
    scale,
    remaining: remainingCounts,
    time: { recordsPerSecond: round((stage.records * 1000) / stage.elapsedMs, 1), ms, seconds: Math.round(ms / 1000) },
    lines,
    totalUsd: totalMicroUsd / 1e6,
    prices: priceSummary,
    notCounted: NOT_COUNTED,
  };
}
