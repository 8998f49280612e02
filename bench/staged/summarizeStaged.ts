import type { LoadReading, StagedLoad } from './machineLoad';
import type { PriceTable } from '../../lambdas/lib/cost/priceTable';
import { costOfRun, type CostBreakdown } from '../cost/costModel';
import type { BackfillResult } from '../jobs';
import { summarize, type Summary } from '../stats';
import type { StagedMeasurement } from './StagedMeasurement';

/** One unstaged run and the staged run right after it, on the same data. */
export interface StagedPair {
  readonly unstaged: BackfillResult;
  readonly staged: BackfillResult;
  /** The machine's load just before and just after the pair. */
  readonly load?: { readonly before: LoadReading; readonly after: LoadReading };
}

/** The figures of one pair. */
export interface StagedPairFigures {
  readonly unstagedMs: number;
  /** The staged run's wall time, approval waits excluded. */
  readonly stagedMs: number;
  /** (staged − unstaged) ÷ unstaged. */
  readonly overhead: number;
  /** The same in CPU time of the run's process (engine, handlers and emulators): less moved by other load. */
  readonly cpuOverhead: number;
  /** Every ValidateStage of the run, summed. */
  readonly validateMs: number;
  readonly validateMsByStage: Readonly<Record<string, number>>;
  /** Where the extra time went (staged − unstaged, ms), when both runs timed their states. */
  readonly overheadMs?: Readonly<Record<OverheadPart, number>>;
  /** Present when the canary forecast and the run had a rest after the canary. */
  readonly forecast?: {
    readonly forecastMs: number;
    /** Wall time from the first wave's start to the run's end. */
    readonly restWallMs: number;
    /** The waves' distributed Maps alone. */
    readonly restProcessingMs: number;
    readonly forecastUsd: number;
    /** The bench's cost model of everything the rest did. */
    readonly restUsd: number;
    /** The same, only what the rest's worker invocations did (the part the forecast scales). */
    readonly restWorkersUsd: number;
    readonly meanWorkerCallMs: { readonly canary: number; readonly rest: number };
    /** The unstaged run's first worker calls (as many as the canary's) against its others: a warm-up shows in both. */
    readonly unstagedMeanWorkerCallMs: { readonly first: number; readonly rest: number };
    /** Forecast and measured rest dollars by service. */
    readonly byService: Readonly<Record<string, { readonly forecastUsd: number; readonly restUsd: number; readonly restWorkersUsd: number }>>;
  };
}

export const OVERHEAD_GOAL = 0.05;

/** The parts of the overhead: states of the staged path against their unstaged counterparts. */
export const OVERHEAD_PARTS = ['plan', 'processing', 'validate', 'stageSteps', 'finalize', 'other'] as const;
export type OverheadPart = (typeof OVERHEAD_PARTS)[number];

/**
 * Staged − unstaged time by part: Plan (the stage manifests), the stages' Maps against the one
 * ProcessBatches Map (a drained Map per stage, the workers' metering and rule checks), every
 * ValidateStage, the stage steps (NextStage, CompleteStage, PassStage), Finalize, and the rest.
 */
function overheadParts(stagedMs: number, unstagedMs: number, s: Readonly<Record<string, number>>, u: Readonly<Record<string, number>>): Record<OverheadPart, number> {
  const at = (states: Readonly<Record<string, number>>, ...names: string[]) => names.reduce((sum, name) => sum + (states[name] ?? 0), 0);
  const parts = {
    plan: at(s, 'Plan') - at(u, 'Plan'),
    processing: at(s, 'ProcessStage') - at(u, 'ProcessBatches'),
    validate: at(s, 'ValidateStage'),
    stageSteps: at(s, 'NextStage', 'CompleteStage', 'PassStage'),
    finalize: at(s, 'Finalize') - at(u, 'Finalize'),
  };
  return { ...parts, other: stagedMs - unstagedMs - Object.values(parts).reduce((a, b) => a + b, 0) };
}
export const TIME_RATIO_GOAL = { min: 0.75, max: 1.25 } as const;
export const COST_RATIO_GOAL = { min: 0.9, max: 1.1 } as const;

function stagedOf(run: BackfillResult): StagedMeasurement {
  if (!run.staged) throw new Error('the staged run of a pair carries no staged measurement; was it run with staged: true?');
  return run.staged;
}

/**
 * The overhead and forecast figures of one pair: wall times (the staged run's approval waits
 * excluded), ValidateStage's time per stage, and the canary's forecast next to what the rest of the
 * run measured (its time, and its dollars by the bench's cost model).
 * @example
 *   stagedPairFigures({ unstaged, staged }, loadPriceTable()).overhead; // 0.04: 4% slower staged
 */
export function stagedPairFigures(pair: StagedPair, prices: PriceTable): StagedPairFigures {
  const staged = stagedOf(pair.staged);
  const { timeline } = staged;
  const stagedMs = pair.staged.wallMs - timeline.approvalWaitMs;
  const validateMsByStage = Object.fromEntries(timeline.stages.map((s) => [s.name, s.validateMs]));
  const figures = {
    unstagedMs: pair.unstaged.wallMs,
    stagedMs,
    overhead: (stagedMs - pair.unstaged.wallMs) / pair.unstaged.wallMs,
    cpuOverhead: (pair.staged.process.cpuMs - pair.unstaged.process.cpuMs) / pair.unstaged.process.cpuMs,
    validateMs: timeline.validateMs,
    validateMsByStage,
    ...(pair.unstaged.stateMs ? { overheadMs: overheadParts(stagedMs, pair.unstaged.wallMs, timeline.stateMs, pair.unstaged.stateMs) } : {}),
  };
  if (staged.forecast.status !== 'forecast' || !staged.rest || !staged.meanWorkerCallMs || timeline.restWallMs === undefined) return figures;
  const rest = costOfRun(staged.rest.all, prices);
  const restWorkers = costOfRun(staged.rest.workers, prices);
  const measuredByService = [serviceTotals(rest), serviceTotals(restWorkers)] as const;
  const services = [...new Set([...Object.keys(staged.forecast.usdByService), ...Object.keys(measuredByService[0])])].sort();
  return {
    ...figures,
    forecast: {
      forecastMs: staged.forecast.ms,
      restWallMs: timeline.restWallMs,
      restProcessingMs: timeline.restProcessingMs,
      forecastUsd: staged.forecast.usd,
      restUsd: rest.totalUsd,
      restWorkersUsd: restWorkers.totalUsd,
      meanWorkerCallMs: staged.meanWorkerCallMs,
      unstagedMeanWorkerCallMs: firstCallsAgainstRest(pair.unstaged.lambdas.worker?.durationsMs ?? [], staged.canary.batches),
      byService: Object.fromEntries(
        services.map((service) => [service, { forecastUsd: staged.forecast.status === 'forecast' ? (staged.forecast.usdByService[service] ?? 0) : 0, restUsd: measuredByService[0][service] ?? 0, restWorkersUsd: measuredByService[1][service] ?? 0 }]),
      ),
    },
  };
}

const mean = (ms: readonly number[]) => (ms.length === 0 ? 0 : ms.reduce((a, b) => a + b, 0) / ms.length);
const firstCallsAgainstRest = (durationsMs: readonly number[], first: number) => ({ first: mean(durationsMs.slice(0, first)), rest: mean(durationsMs.slice(first)) });

function serviceTotals(cost: CostBreakdown): Record<string, number> {
  const by: Record<string, number> = {};
  for (const line of cost.lines) by[line.service] = (by[line.service] ?? 0) + line.usd;
  return by;
}

/** The staged phase's results: medians (min–max) over the pairs. */
export interface StagedResults {
  /** How busy the machine was around the pairs, and whether that makes the wall times noisy. */
  readonly load?: StagedLoad;
  readonly records: number;
  readonly pairs: number;
  readonly rollout: unknown;
  readonly unstagedSeconds: Summary;
  readonly stagedSeconds: Summary;
  readonly overhead: Summary;
  readonly cpuOverhead: Summary;
  readonly validateSeconds: Summary;
  readonly validateSecondsByStage: Readonly<Record<string, Summary>>;
  /** Staged − unstaged seconds by part (see overheadParts), when every pair timed its states. */
  readonly overheadSecondsByPart?: Readonly<Record<OverheadPart, Summary>>;
  readonly forecast?: {
    readonly forecastSeconds: Summary;
    readonly restWallSeconds: Summary;
    readonly restProcessingSeconds: Summary;
    /** forecast ÷ measured rest wall time. */
    readonly timeRatio: Summary;
    /** forecast ÷ the waves' processing time. */
    readonly processingTimeRatio: Summary;
    readonly forecastUsd: Summary;
    readonly restUsd: Summary;
    readonly restWorkersUsd: Summary;
    /** forecast ÷ the rest's whole cost. */
    readonly costRatio: Summary;
    /** forecast ÷ the rest's workers' cost. */
    readonly workersCostRatio: Summary;
    /** Mean worker call in the canary and in the rest, s; and in the unstaged run, its first calls and the others. */
    readonly meanWorkerCallSeconds: { readonly canary: Summary; readonly rest: Summary; readonly unstagedFirst: Summary; readonly unstagedRest: Summary };
    /** Medians by service: where the forecast and the measured rest differ. */
    readonly byService: Readonly<Record<string, { readonly forecastUsd: number; readonly restUsd: number; readonly restWorkersUsd: number }>>;
  };
  readonly goals: { readonly overhead: boolean; readonly time?: boolean; readonly cost?: boolean };
  /** Every pair's figures, in run order (to summarize again or look at one run). */
  readonly pairFigures: readonly StagedPairFigures[];
}

const within = (value: number, goal: { min: number; max: number }) => value >= goal.min && value <= goal.max;

/**
 * Summarizes the pairs: overhead = (staged − unstaged) ÷ unstaged per pair, then the median; the
 * forecast's error as forecast ÷ measured ratios; and whether each median meets the goal
 * (overhead ≤ 5%, time within ±25%, cost within ±10%).
 * @throws Error when there is no pair.
 * @example
 *   summarizeStaged(100_000, pairs, loadPriceTable(), STAGED_FIELDS.rollout).overhead.median; // e.g. 0.03
 */
export function summarizeStaged(records: number, pairs: readonly StagedPair[], prices: PriceTable, rollout: unknown): StagedResults {
  if (pairs.length === 0) throw new Error('summarizeStaged needs at least one pair of runs');
  const figures = pairs.map((pair) => stagedPairFigures(pair, prices));
  const of = (f: (x: StagedPairFigures) => number) => summarize(figures.map(f));
  const stageNames = [...new Set(figures.flatMap((f) => Object.keys(f.validateMsByStage)))];
  const forecasts = figures.flatMap((f) => (f.forecast ? [f.forecast] : []));
  const fc = (f: (x: NonNullable<StagedPairFigures['forecast']>) => number) => summarize(forecasts.map(f));
  const forecast =
    forecasts.length === 0
      ? undefined
      : {
          forecastSeconds: fc((x) => x.forecastMs / 1000),
          restWallSeconds: fc((x) => x.restWallMs / 1000),
          restProcessingSeconds: fc((x) => x.restProcessingMs / 1000),
          timeRatio: fc((x) => x.forecastMs / x.restWallMs),
          processingTimeRatio: fc((x) => x.forecastMs / x.restProcessingMs),
          forecastUsd: fc((x) => x.forecastUsd),
          restUsd: fc((x) => x.restUsd),
          restWorkersUsd: fc((x) => x.restWorkersUsd),
          costRatio: fc((x) => x.forecastUsd / x.restUsd),
          workersCostRatio: fc((x) => x.forecastUsd / x.restWorkersUsd),
          meanWorkerCallSeconds: {
            canary: fc((x) => x.meanWorkerCallMs.canary / 1000),
            rest: fc((x) => x.meanWorkerCallMs.rest / 1000),
            unstagedFirst: fc((x) => x.unstagedMeanWorkerCallMs.first / 1000),
            unstagedRest: fc((x) => x.unstagedMeanWorkerCallMs.rest / 1000),
          },
          byService: Object.fromEntries(
            [...new Set(forecasts.flatMap((x) => Object.keys(x.byService)))].sort().map((service) => {
              const median = (f: (v: { forecastUsd: number; restUsd: number; restWorkersUsd: number }) => number) => summarize(forecasts.map((x) => f(x.byService[service] ?? { forecastUsd: 0, restUsd: 0, restWorkersUsd: 0 }))).median;
              return [service, { forecastUsd: median((v) => v.forecastUsd), restUsd: median((v) => v.restUsd), restWorkersUsd: median((v) => v.restWorkersUsd) }];
            }),
          ),
        };
  const overhead = of((x) => x.overhead);
  const parts = figures.every((f) => f.overheadMs) ? Object.fromEntries(OVERHEAD_PARTS.map((part) => [part, of((x) => x.overheadMs![part] / 1000)])) as Record<OverheadPart, Summary> : undefined;
  return {
    records,
    pairs: pairs.length,
    rollout,
    unstagedSeconds: of((x) => x.unstagedMs / 1000),
    stagedSeconds: of((x) => x.stagedMs / 1000),
    overhead,
    cpuOverhead: of((x) => x.cpuOverhead),
    validateSeconds: of((x) => x.validateMs / 1000),
    validateSecondsByStage: Object.fromEntries(stageNames.map((name) => [name, of((x) => (x.validateMsByStage[name] ?? 0) / 1000)])),
    ...(parts ? { overheadSecondsByPart: parts } : {}),
    ...(forecast ? { forecast } : {}),
    pairFigures: figures,
    goals: {
      overhead: overhead.median <= OVERHEAD_GOAL,
      ...(forecast ? { time: within(forecast.timeRatio.median, TIME_RATIO_GOAL), cost: within(forecast.costRatio.median, COST_RATIO_GOAL) } : {}),
    },
  };
}
