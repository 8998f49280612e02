import type { Metric } from '../results';
import { summarize, type Summary } from '../stats';
import type { ConcurrencyChange, GateOverheadResult, ThrottleRecoveryResult } from './gateJobs';

/** The issue's goal for the gate checks' cost. */
export const GATE_OVERHEAD_GOAL = 0.03;
/** Recovered: the write rate back to this share of the unthrottled one. */
export const RECOVERED_SHARE = 0.8;
/** Seconds over which the rate is averaged when looking for recovery. */
const RECOVERY_WINDOW_SECONDS = 2;
/** The first seconds of the run are its ramp (workers starting): not part of the baseline. */
const RAMP_SECONDS = 2;

export interface GateOverheadPair {
  /** The run as it is: a gate read before each batch. */
  readonly measured: GateOverheadResult;
  /** The same run with the gate reads after the first answered from memory. */
  readonly memoized: GateOverheadResult;
}

export interface RecoveryResults {
  readonly faults: string;
  readonly baselineWritesPerSecond: number;
  readonly throttledWritesPerSecond: number;
  /** Seconds from the faults' end to the end of the first 2-s window at ≥ 80 % of the baseline; null: not within the run. */
  readonly secondsTo80Percent: number | null;
  readonly faultsFromSeconds: number;
  readonly faultsUntilSeconds: number;
  readonly writesPerSecond: readonly number[];
  readonly requests: Readonly<Record<string, number>>;
  readonly concurrencyChanges: readonly ConcurrencyChange[];
}

export interface GateResults {
  readonly records: number;
  readonly pairs: readonly GateOverheadPair[];
  /** Gate reads per run (0: the gate is not wired into the workers in this build). */
  readonly gateReads: number;
  readonly batches: number;
  /** Summed gate-read time over summed worker time, per measured run. */
  readonly shareOfWorkerTime: Summary;
  /** Wall time with the gate reads over without, minus 1, per pair. */
  readonly wallOverhead: Summary;
  readonly recovery: RecoveryResults;
}

const mean = (values: readonly number[]) => (values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length);

/**
 * The recovery run's figures from its per-second writes: the baseline (after the ramp, before
 * the faults), the rate under faults, and how long after the faults stopped the rate was back
 * to ≥ 80 % of the baseline.
 * @example
 *   summarizeRecovery(result).secondsTo80Percent; // 4.2
 */
export function summarizeRecovery(result: ThrottleRecoveryResult): RecoveryResults {
  const perSecond = 1000 / result.bucketMs;
  const rates = result.writesPerBucket.map((writes) => writes * perSecond);
  const bucketOf = (ms: number) => Math.floor(ms / result.bucketMs);
  const from = bucketOf(result.faultsFromMs);
  const until = Math.ceil(result.faultsUntilMs / result.bucketMs);
  const baseline = mean(rates.slice(Math.min(bucketOf(RAMP_SECONDS * 1000), Math.max(0, from - 1)), from));
  const throttled = mean(rates.slice(from, until));
  const window = Math.max(1, bucketOf(RECOVERY_WINDOW_SECONDS * 1000));
  let secondsTo80Percent: number | null = null;
  // The last bucket is cut short by the run's end: never part of a window.
  for (let start = until; start + window <= rates.length - 1; start++) {
    if (mean(rates.slice(start, start + window)) >= RECOVERED_SHARE * baseline) {
      secondsTo80Percent = ((start + window) * result.bucketMs - result.faultsUntilMs) / 1000;
      break;
    }
  }
  return {
    faults: result.faults,
    baselineWritesPerSecond: baseline,
    throttledWritesPerSecond: throttled,
    secondsTo80Percent,
    faultsFromSeconds: result.faultsFromMs / 1000,
    faultsUntilSeconds: result.faultsUntilMs / 1000,
    writesPerSecond: rates,
    requests: result.requests,
    concurrencyChanges: result.concurrencyChanges,
  };
}

/**
 * The gate phase's figures from its runs.
 * @example
 *   summarizeGate(100_000, pairs, recovery).shareOfWorkerTime.median; // 0.012: 1.2 % of the workers' time
 */
export function summarizeGate(records: number, pairs: readonly GateOverheadPair[], recovery: ThrottleRecoveryResult): GateResults {
  return {
    records,
    pairs,
    gateReads: pairs[0]!.measured.gate.reads,
    batches: pairs[0]!.measured.batches,
    shareOfWorkerTime: summarize(pairs.map((p) => p.measured.gate.totalMs / p.measured.workerMs)),
    wallOverhead: summarize(pairs.map((p) => p.measured.wallMs / p.memoized.wallMs - 1)),
    recovery: summarizeRecovery(recovery),
  };
}

/**
 * The gate phase's headline figures, by name (what `--compare` compares).
 * @example
 *   gateMetrics(gate)['gate.100000.shareOfWorkerTime'].median; // 0.012
 */
export function gateMetrics(gate: GateResults): Record<string, Metric> {
  const single = (value: number | null): Summary => summarize([value ?? Number.NaN]);
  return {
    [`gate.${gate.records}.shareOfWorkerTime`]: { ...gate.shareOfWorkerTime, unit: 'ratio', better: 'lower' },
    [`gate.${gate.records}.wallOverhead`]: { ...gate.wallOverhead, unit: 'ratio', better: 'lower' },
    [`recovery.${gate.records}.secondsTo80Percent`]: { ...single(gate.recovery.secondsTo80Percent), unit: 's', better: 'lower' },
    [`recovery.${gate.records}.baselineWritesPerSecond`]: { ...single(gate.recovery.baselineWritesPerSecond), unit: 'writes/s', better: 'higher' },
  };
}
