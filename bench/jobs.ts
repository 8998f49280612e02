import type { ExecutionStats } from '../local/engine';
import type { BatchCounts } from '../lambdas/lib/ledger';
import type { ApiUsage } from './metering/ApiMeter';
import type { FunctionUsage } from './metering/LambdaMeter';
import type { GateOverheadJob, GateOverheadResult, ThrottleRecoveryJob, ThrottleRecoveryResult } from './gate/gateJobs';
import type { StagedMeasurement } from './staged/StagedMeasurement';

/** Spec fields a measurement may override on top of examples/orders-spec.json. */
export interface SpecOverrides {
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly batchesPerWorker: number;
}

/** What the benchmark asks one child process to do. */
export type Job =
  /** Seeds the demo dataset (source objects and target items) into `dataDir`. */
  | { readonly kind: 'seed'; readonly dataDir: string; readonly records: number }
  /** Seeds only the source objects into `dataDir` (for planning alone). */
  | { readonly kind: 'seed-source'; readonly dataDir: string; readonly records: number }
  /**
   * A full backfill through the real ASL and handlers, metered; with `floor`, then the local floor
   * in the same process: the run's conditional target writes, straight at the emulator.
   */
  | {
      readonly kind: 'backfill';
      readonly fixtureDir: string;
      readonly records: number;
      readonly spec: SpecOverrides;
      readonly runId: string;
      readonly floor?: { readonly concurrency: number; readonly sample: number };
      /** Run the spec staged (bench/staged/stagedSpec.ts) and time its stages from the parent's history. */
      readonly staged?: boolean;
      /** Time each state from the parent's history (`stateMs` in the result); staged runs always do. */
      readonly timeStates?: boolean;
    }
  /** Planning alone: ValidateSpec + StartRun + Plan on the source objects. */
  | { readonly kind: 'plan'; readonly fixtureDir: string; readonly records: number; readonly batchSize: number; readonly runId: string }
  /** The gate checks' cost and the recovery from throttling (bench/gate/). */
  | GateOverheadJob
  | ThrottleRecoveryJob;

/** Memory and CPU of the child process that ran a job. */
export interface ProcessUsage {
  /** Peak resident set size of the whole process (emulators included), bytes. */
  readonly maxRssBytes: number;
  /** RSS just before the measured part began, bytes. */
  readonly rssBeforeBytes: number;
  /** CPU time (user + system) of the measured part, ms. */
  readonly cpuMs: number;
  /** Heap in use after a full GC once the measured part ended: what it retained, not GC headroom. */
  readonly heapAfterGcBytes?: number;
}

export interface SeedResult {
  readonly kind: 'seed';
  readonly wallMs: number;
}

export interface FloorMeasurement {
  /** Items of the run that change (the writes the workers make), and how many were timed. */
  readonly changedItems: number;
  readonly sampled: number;
  /** Writes in flight (the workers' most: maxConcurrency × 16). */
  readonly concurrency: number;
  readonly conditionalPutsPerSecond: number;
  /** CPU time of the process per timed conditional put, ms. */
  readonly cpuMsPerPut: number;
  readonly batchWriteItemsPerSecond: number;
}

export interface BackfillResult {
  readonly kind: 'backfill';
  readonly records: number;
  readonly wallMs: number;
  readonly counts: BatchCounts;
  readonly batches: number;
  readonly engine: ExecutionStats;
  readonly api: ApiUsage;
  readonly lambdas: Record<string, FunctionUsage>;
  readonly process: ProcessUsage;
  /** The floor measured after the run in the same process, when asked for. */
  readonly floor?: FloorMeasurement;
  /** Time in each parent state by name (every entry to its exit), when asked for. */
  readonly stateMs?: Readonly<Record<string, number>>;
  /** A staged run's stages, the canary's forecast and what the rest of the run did. */
  readonly staged?: StagedMeasurement;
}

export interface PlanResultSummary {
  readonly kind: 'plan';
  readonly records: number;
  readonly wallMs: number;
  readonly batches: number;
  readonly objects: number;
  readonly manifestBytes: number;
  readonly process: ProcessUsage;
}

export type JobResult = SeedResult | BackfillResult | PlanResultSummary | GateOverheadResult | ThrottleRecoveryResult;
