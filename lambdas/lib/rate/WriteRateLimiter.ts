import type { Clock } from '../runtime/Clock';
import type { WriteTurns } from './observeTargetHealth';

/** Waits `ms` milliseconds; injected so tests move a manual clock instead of sleeping. */
export type Sleeper = (ms: number) => Promise<void>;

export const realSleep: Sleeper = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface WriteRateLimiterOptions {
  /** spec.maxWritesPerSecond: the fleet's writes per second, all workers together. */
  readonly maxWritesPerSecond: number;
  /** The concurrency in force when this worker starts (see followRunningMapRun): the most workers that may share the ceiling. */
  readonly concurrency: number;
  readonly clock: Clock;
  readonly sleep?: Sleeper;
}

/**
 * One worker's share of the fleet-wide write ceiling: `maxWritesPerSecond / concurrency` writes per
 * second, as a token bucket that holds no burst (each write is one token; a worker's writes are
 * spaced at least `1000 × concurrency / maxWritesPerSecond` ms apart, its first one interval after it
 * starts). So from its start on, each worker writes at most its share × the seconds elapsed, and
 * the workers in flight — never more than the concurrency — together at most the ceiling.
 * The share only falls within one worker: a lower concurrency (the controller halved it) leaves
 * running workers at the share they had, because the Map Run starts no new child until the running
 * ones are fewer than the new concurrency; a higher one lowers their share for the new children.
 * Writes waiting at once (a batch writes 16 in parallel) are granted in turn.
 *
 * @example
 *   const limiter = new WriteRateLimiter({ maxWritesPerSecond: 100, concurrency: 4, clock: deps.clock });
 *   await limiter.take(); // at most 25 writes a second pass here
 */
export class WriteRateLimiter implements WriteTurns {
  private concurrency: number;
  private nextTurnMs: number;
  private readonly sleep: Sleeper;

  constructor(private readonly options: WriteRateLimiterOptions) {
    this.concurrency = Math.max(1, options.concurrency);
    this.sleep = options.sleep ?? realSleep;
    this.nextTurnMs = options.clock.nowMs() + this.intervalMs;
  }

  /** Milliseconds between two writes of this worker. */
  get intervalMs(): number {
    return (1000 * this.concurrency) / this.options.maxWritesPerSecond;
  }

  /** Writes per second this worker may make now. */
  get writesPerSecond(): number {
    return this.options.maxWritesPerSecond / this.concurrency;
  }

  /** The run's concurrency changed (the controller's record): a higher one lowers this worker's share, a lower one keeps it. */
  concurrencyIs(concurrency: number): void {
    this.concurrency = Math.max(this.concurrency, concurrency);
  }

  /** Resolves at this write's turn: the previous turn plus one interval, or now when that has passed. */
  async take(): Promise<void> {
    const now = this.options.clock.nowMs();
    const turn = Math.max(now, this.nextTurnMs);
    this.nextTurnMs = turn + this.intervalMs;
    if (turn > now) await this.sleep(turn - now);
  }
}
