import type { SpecOverrides } from '../jobs';
import type { GateReadUsage } from './GateReadMeter';

/** One full backfill timed for the gate's cost: the gate read as it is, or answered from memory after the first. */
export interface GateOverheadJob {
  readonly kind: 'gate-overhead';
  readonly fixtureDir: string;
  readonly records: number;
  readonly spec: SpecOverrides;
  readonly runId: string;
  /** The A/B's "without" side: gate reads after the first answered from memory (see GateReadMeter). */
  readonly memoizeGate: boolean;
}

export interface GateOverheadResult {
  readonly kind: 'gate-overhead';
  readonly records: number;
  readonly memoizeGate: boolean;
  readonly wallMs: number;
  /** The worker function's invocations, and their wall times summed (they overlap: maxConcurrency at once). */
  readonly workerInvocations: number;
  readonly workerMs: number;
  readonly batches: number;
  readonly gate: GateReadUsage;
}

/**
 * One full backfill with the handlers' DynamoDB requests through the fault proxy: undisturbed for
 * `baselineSeconds` from the first target write, then `faults` for `throttleSeconds`, then none.
 */
export interface ThrottleRecoveryJob {
  readonly kind: 'throttle-recovery';
  readonly fixtureDir: string;
  readonly records: number;
  readonly spec: SpecOverrides;
  readonly runId: string;
  /** `--inject-faults` text of the throttled phase, e.g. `throttle=0.5`. */
  readonly faults: string;
  readonly baselineSeconds: number;
  readonly throttleSeconds: number;
  readonly bucketMs: number;
}

/** One change of the run's concurrency, as the AIMD controller record keeps it (i12 contracts, owner F1). */
export interface ConcurrencyChange {
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly why?: string;
  /** When, in seconds after the run's first target write (the recovery run's timeline). */
  readonly afterFirstWriteSeconds?: number;
}

export interface ThrottleRecoveryResult {
  readonly kind: 'throttle-recovery';
  readonly records: number;
  readonly faults: string;
  readonly wallMs: number;
  readonly bucketMs: number;
  /** Target item writes that reached DynamoDB in each bucket, from the first one on. */
  readonly writesPerBucket: readonly number[];
  /** When the faults were set and cleared, ms after the first target write. */
  readonly faultsFromMs: number;
  readonly faultsUntilMs: number;
  /** Target requests by fate over the run (the proxy's counters). */
  readonly requests: Readonly<Record<string, number>>;
  /** The controller's changes (empty when no controller record exists: the adaptive rate is not in this build). */
  readonly concurrencyChanges: readonly ConcurrencyChange[];
}
