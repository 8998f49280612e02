import { performance } from 'node:perf_hooks';
import { evidenceKey } from '../../lambdas/lib/artifacts';
import { readStageEvidence } from '../../lambdas/lib/evidence';
import type { ExecutionStats, HistoryEventBody } from '../../local/engine';
import type { LocalEnvironment } from '../../local/runtime/LocalEnvironment';
import type { ApiMeter, ApiUsage } from '../metering/ApiMeter';
import type { LambdaMeter } from '../metering/LambdaMeter';
import { restUsageOf, type RestStartReading } from '../staged/restOfRun';
import type { StagedMeasurement } from '../staged/StagedMeasurement';
import { isRestStart, stageTimeline, type TimedHistoryEvent } from '../staged/stageTimeline';

function usdByService(lines: readonly { readonly service: string; readonly usd: number }[]): Record<string, number> {
  const by: Record<string, number> = {};
  for (const line of lines) by[line.service] = (by[line.service] ?? 0) + line.usd;
  return by;
}

/** The whole run, as the child read it when the run ended. */
export interface RunEnd {
  readonly runId: string;
  readonly records: number;
  readonly batches: number;
  readonly written: number;
  readonly produced: number;
  readonly engine: ExecutionStats;
  readonly api: ApiUsage;
  readonly targetTable: string;
}

/**
 * Records a staged run's parent history with the time each event arrived, and reads both meters
 * the moment the rest of the run begins (the first wave's Map is entered: nothing else runs then).
 * @example
 *   const recorder = new StagedRecorder(api, lambdas);
 *   await runBackfillLocally({ ..., onHistoryEvent: recorder.onHistoryEvent });
 *   const staged = await recorder.finish(env, runEnd);
 */
export class StagedRecorder {
  private readonly events: TimedHistoryEvent[] = [];
  private startedAt = performance.now();
  private atRestStart: RestStartReading | undefined;

  constructor(
    private readonly api: ApiMeter,
    private readonly lambdas: LambdaMeter,
  ) {}

  /** Call when the run starts: event times count from here. */
  start(): void {
    this.startedAt = performance.now();
  }

  readonly onHistoryEvent = (event: HistoryEventBody): void => {
    this.events.push({ atMs: performance.now() - this.startedAt, event });
    if (this.atRestStart === undefined && isRestStart(event)) this.atRestStart = { api: this.api.snapshot(), invocations: this.lambdas.snapshot() };
  };

  /** Time in each state by name, from the events so far. */
  stateMs(runEndMs: number): Readonly<Record<string, number>> {
    return stageTimeline(this.events, runEndMs).stateMs;
  }

  /** The timeline, the canary's evidence and forecast, and the rest's usage; call once the run ended and the meters stopped. */
  async finish(env: LocalEnvironment, end: RunEnd, runEndMs: number): Promise<StagedMeasurement> {
    const timeline = stageTimeline(this.events, runEndMs);
    const evidence = await readStageEvidence(env.clients.s3, env.deps.artifactsBucket, evidenceKey({ runId: end.runId, stageName: 'canary' }));
    const canary = { records: evidence.measured.records, batches: evidence.measured.batches, elapsedMs: evidence.measured.elapsedMs, written: evidence.counts.written, produced: evidence.counts.produced };
    const { forecast: f } = evidence;
    const forecast: StagedMeasurement['forecast'] =
      f.status === 'forecast'
        ? { status: 'forecast', ms: f.time.ms, usd: f.totalUsd, usdByService: usdByService(f.lines), remainingRecords: f.remaining.records, remainingBatches: f.remaining.batches }
        : { status: 'cannot-forecast', reason: f.reason };
    if (this.atRestStart === undefined) return { timeline, canary, forecast };
    const whole = {
      records: end.records,
      batches: end.batches,
      written: end.written,
      produced: end.produced,
      engine: end.engine,
      api: end.api,
      apiByFunction: this.api.snapshot().byFunction,
      lambdasAfter: this.lambdas.since(this.atRestStart.invocations),
      allWorkerDurationsMs: this.lambdas.usage.worker?.durationsMs ?? [],
    };
    const calls = whole.allWorkerDurationsMs;
    const split = this.atRestStart.invocations.worker ?? 0;
    const mean = (ms: readonly number[]) => (ms.length === 0 ? 0 : ms.reduce((a, b) => a + b, 0) / ms.length);
    return {
      timeline,
      canary,
      forecast,
      meanWorkerCallMs: { canary: mean(calls.slice(0, split)), rest: mean(calls.slice(split)) },
      rest: restUsageOf(whole, this.atRestStart, canary, timeline.restTransitions, end.targetTable),
    };
  }
}
