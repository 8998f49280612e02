import type { RestUsage } from './restOfRun';
import type { StageTimeline } from './stageTimeline';

/** What the canary's evidence forecast for the rest of the run. */
export type CanaryForecast =
  | {
      readonly status: 'forecast';
      readonly ms: number;
      readonly usd: number;
      /** Its dollars by service (DynamoDB, S3, Lambda, Step Functions). */
      readonly usdByService: Readonly<Record<string, number>>;
      readonly remainingRecords: number;
      readonly remainingBatches: number;
    }
  | { readonly status: 'cannot-forecast'; readonly reason: string };

/** One staged run, as the bench child measured it. */
export interface StagedMeasurement {
  readonly timeline: StageTimeline;
  /** The canary's part, from its evidence (evidence/<runId>/canary.json). */
  readonly canary: { readonly records: number; readonly batches: number; readonly elapsedMs: number; readonly written: number; readonly produced: number };
  readonly forecast: CanaryForecast;
  /** Mean wall time of one worker call in the canary and in the rest (the forecast assumes they are equal). */
  readonly meanWorkerCallMs?: { readonly canary: number; readonly rest: number };
  /** What the run did after the canary, in the cost model's terms. */
  readonly rest?: RestUsage;
}
