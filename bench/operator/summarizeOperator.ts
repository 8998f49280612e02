import type { Metric } from '../results';
import { stagedLoad, type LoadReading, type StagedLoad } from '../staged/machineLoad';
import { summarize, type Summary } from '../stats';

/** The `local up` side of one pair (bench/operator/operatorRuns.ts measureLocalUpSide). */
export interface LocalUpRun {
  /** Spawn of `local up` on a new data dir to endpoints.json written and answering (seeding the demo included). */
  readonly newDirStartupMs: number;
  /** The same on the kept data dir (second start). */
  readonly keptDirStartupMs: number;
  readonly records: number;
  /** The execution's stopDate − startDate (DescribeExecution), `watch` polling from another process. */
  readonly runMs: number;
  /** Wall time of the whole `backfill --local DIR status RUN` process while a run is going. */
  readonly statusWhileRunningMs: number;
  /** Whether that status saw the run RUNNING (a short quick run may end first: the sample then does not count). */
  readonly statusSawRunning: boolean;
  /** The same after the run ended. */
  readonly statusAfterEndMs: number;
  /** false: the data dir was seeded beforehand (a size other than local up's 20,000), so the "new" start-up seeded nothing. */
  readonly newDirSeeded: boolean;
}

/** The `npm start` side of one pair: the same run in one process. */
export interface NpmStartRun {
  readonly records: number;
  /** The run's own duration (its JSON report's elapsedMs: StartExecution to the end). */
  readonly runMs: number;
  /** The whole process, seeding and start-up included (for context only). */
  readonly processMs: number;
}

export interface OperatorPair {
  readonly order: 'local-up-first' | 'npm-start-first';
  readonly localUp: LocalUpRun;
  readonly npmStart: NpmStartRun;
  readonly load: { readonly before: LoadReading; readonly after: LoadReading };
}

export interface OperatorResults {
  readonly records: number;
  readonly pairs: readonly OperatorPair[];
  readonly startupSeconds: { readonly newDir: Summary; readonly keptDir: Summary; readonly newDirSeeded: boolean };
  /** `status` while a run is going: null when no sample saw the run RUNNING. */
  readonly statusSeconds: { readonly whileRunning: Summary | null; readonly afterEnd: Summary };
  readonly recordsPerSecond: { readonly localUp: Summary; readonly npmStart: Summary };
  /** records/s through local up ÷ through npm start, per pair. */
  readonly ratio: Summary;
  readonly load: StagedLoad;
}

const seconds = (ms: readonly number[]) => summarize(ms.map((x) => x / 1000));
const rate = (run: { records: number; runMs: number }) => run.records / (run.runMs / 1000);

/**
 * The operator phase's figures from its pairs: medians with min and max, the local-up ÷ npm-start
 * records/s ratio per pair, and whether the machine was LOADED (any reading above the cores or
 * 10 % CPU pressure, as the staged bench judges it).
 * @example
 *   summarizeOperator(2, beforeBench, pairs).ratio.median; // 0.86
 */
export function summarizeOperator(cores: number, beforeBench: LoadReading, pairs: readonly OperatorPair[]): OperatorResults {
  if (pairs.length === 0) throw new Error('summarizeOperator needs at least one pair');
  const running = pairs.filter((p) => p.localUp.statusSawRunning).map((p) => p.localUp.statusWhileRunningMs);
  return {
    records: pairs[0]!.localUp.records,
    pairs,
    startupSeconds: {
      newDir: seconds(pairs.map((p) => p.localUp.newDirStartupMs)),
      keptDir: seconds(pairs.map((p) => p.localUp.keptDirStartupMs)),
      newDirSeeded: pairs.every((p) => p.localUp.newDirSeeded),
    },
    statusSeconds: { whileRunning: running.length === 0 ? null : seconds(running), afterEnd: seconds(pairs.map((p) => p.localUp.statusAfterEndMs)) },
    recordsPerSecond: { localUp: summarize(pairs.map((p) => rate(p.localUp))), npmStart: summarize(pairs.map((p) => rate(p.npmStart))) },
    ratio: summarize(pairs.map((p) => rate(p.localUp) / rate(p.npmStart))),
    load: stagedLoad(cores, beforeBench, pairs.map((p) => p.load), 're-run on a quiet machine (the ratio, measured in pairs, moves less than the times)'),
  };
}

/**
 * The operator phase's headline figures, by name (what `--compare` compares).
 * @example
 *   operatorMetrics(operator)['operator.localUp.newDirStartupSeconds'].median; // 4.3
 */
export function operatorMetrics(o: OperatorResults): Record<string, Metric> {
  const n = o.records;
  return {
    'operator.localUp.newDirStartupSeconds': { ...o.startupSeconds.newDir, unit: 's', better: 'lower' },
    'operator.localUp.keptDirStartupSeconds': { ...o.startupSeconds.keptDir, unit: 's', better: 'lower' },
    ...(o.statusSeconds.whileRunning ? { 'operator.status.whileRunningSeconds': { ...o.statusSeconds.whileRunning, unit: 's', better: 'lower' as const } } : {}),
    'operator.status.afterEndSeconds': { ...o.statusSeconds.afterEnd, unit: 's', better: 'lower' },
    [`operator.${n}.localUpRecordsPerSecond`]: { ...o.recordsPerSecond.localUp, unit: 'records/s', better: 'higher' },
    [`operator.${n}.npmStartRecordsPerSecond`]: { ...o.recordsPerSecond.npmStart, unit: 'records/s', better: 'higher' },
    [`operator.${n}.localUpToNpmStartRatio`]: { ...o.ratio, unit: 'ratio', better: 'higher' },
  };
}
