/** What a stage's workers metered: the billable quantities, named after the price table's items. */
export interface StageUsage {
  readonly dynamodbReadUnits: number;
  readonly dynamodbWriteUnits: number;
  readonly s3Gets: number;
  readonly s3Puts: number;
  readonly lambdaGbSeconds: number;
  readonly lambdaRequests: number;
  readonly stateTransitions: number;
  readonly expressRequests: number;
  readonly expressGbSeconds: number;
}

export type UsageItem = keyof StageUsage;

/** A finished stage (e.g. the canary) and the part of the plan still to run. */
export interface ForecastInput {
  readonly stage: { readonly batches: number; readonly records: number; readonly elapsedMs: number; readonly usage: StageUsage };
  readonly remaining: { readonly batches: number; readonly records: number };
}

export interface ForecastLine {
  readonly item: UsageItem;
  readonly service: 'DynamoDB' | 'S3' | 'Lambda' | 'Step Functions';
  readonly description: string;
  /** The remaining run's quantity (the stage's, scaled to the remaining records), 3 decimals. */
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** Rounded to the micro-dollar. */
  readonly usd: number;
}

/** Where the prices come from: the price table's region, date and cited pages. */
export interface ForecastPrices {
  readonly region: string;
  readonly checked: string;
  readonly currency: 'USD';
  readonly sources: Readonly<Record<'dynamodb' | 's3' | 'lambda' | 'stepFunctions', string>>;
}

/**
 * `stage-span`: the stage's first start to last end. `warm-batch-median`: the median duration of
 * the batches that started after the stage's first batch ended (past the warm-up of first calls).
 */
export type ForecastTimeBasis = 'stage-span' | 'warm-batch-median';

export interface Forecast {
  readonly status: 'forecast';
  /** remaining.records ÷ stage.records: the factor every quantity and the time were scaled by. */
  readonly scale: number;
  readonly remaining: { readonly batches: number; readonly records: number };
  readonly time: {
    readonly recordsPerSecond: number;
    readonly ms: number;
    readonly seconds: number;
    /** What the stage's time was measured from (set by the stage's forecast; absent: the elapsed time given). */
    readonly basis?: ForecastTimeBasis;
    /** How many of the stage's batches that basis read. */
    readonly basisBatches?: number;
  };
  readonly lines: readonly ForecastLine[];
  /** The sum of the rounded lines, to the micro-dollar. */
  readonly totalUsd: number;
  readonly prices: ForecastPrices;
  /** What the dollars leave out, to show next to them. */
  readonly notCounted: readonly string[];
}

/** The stage measured nothing to scale from (no records or no elapsed time). */
export interface CannotForecast {
  readonly status: 'cannot-forecast';
  readonly reason: string;
  readonly remaining: { readonly batches: number; readonly records: number };
  readonly prices: ForecastPrices;
}

export type ForecastResult = Forecast | CannotForecast;
