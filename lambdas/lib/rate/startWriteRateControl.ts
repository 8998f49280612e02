import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { DEFAULT_AIMD_RULE, type AimdRule } from './aimd';
import { readController } from './controllerRecord';
import type { BatchHealth, WriteTurns } from './observeTargetHealth';
import { reportBatchHealth } from './reportBatchHealth';
import { realSleep, WriteRateLimiter, type Sleeper } from './WriteRateLimiter';

/** One worker's part in the run's write rate: the turns its writes wait for, and its report after each batch. */
export interface WriteRateControl {
  /** Present with spec.maxWritesPerSecond: each target write waits for its turn. */
  readonly turns?: WriteTurns;
  /** Reports a batch's health to the controller (when it steers the run) and follows its concurrency. */
  afterBatch(health: BatchHealth): Promise<void>;
}

export interface WriteRateControlOptions {
  readonly runId: string;
  readonly spec: Pick<Spec, 'maxConcurrency' | 'maxWritesPerSecond'>;
  /** The parent execution; without it (or without `deps.clients.sfn`) the controller does not steer the run. */
  readonly executionArn?: string;
}

/** Overrides of the controller's timing and the limiter's sleeper, on `deps.writeRate`. */
export interface WriteRateSettings {
  /** @default DEFAULT_AIMD_RULE */
  readonly rule?: AimdRule;
  /** @default - real timers */
  readonly sleep?: Sleeper;
}

/**
 * Sets up a worker (one distributed-Map child) for the run's write rate: with
 * spec.maxWritesPerSecond, a {@link WriteRateLimiter} at the controller's concurrency (one read;
 * the spec's maxConcurrency before the controller's first change); with the parent execution and a
 * Step Functions client, the AIMD controller that each batch reports to ({@link reportBatchHealth}).
 *
 * @example
 *   const rate = await startWriteRateControl(deps, { runId, spec, executionArn });
 *   const outcome = await processBatch(deps, { ...ctx, writeTurns: rate.turns }, item);
 *   await rate.afterBatch(outcome.health);
 */
export async function startWriteRateControl(deps: Deps, options: WriteRateControlOptions): Promise<WriteRateControl> {
  const { runId, spec, executionArn } = options;
  const sfn: SFNClient | undefined = deps.clients.sfn;
  const steers = executionArn !== undefined && sfn !== undefined;
  let limiter: WriteRateLimiter | undefined;
  if (spec.maxWritesPerSecond !== undefined) {
    const concurrency = (steers ? (await readController(deps, runId))?.concurrency : undefined) ?? spec.maxConcurrency;
    limiter = new WriteRateLimiter({ maxWritesPerSecond: spec.maxWritesPerSecond, concurrency, clock: deps.clock, sleep: deps.writeRate?.sleep ?? realSleep });
  }
  return {
    turns: limiter,
    async afterBatch(health) {
      if (!steers) return;
      const at = new Date(deps.clock.nowMs()).toISOString();
      const { controller } = await reportBatchHealth(
        { ...deps, clients: { ...deps.clients, sfn } },
        { runId, executionArn, throttles: health.throttles, at, maxConcurrency: spec.maxConcurrency },
        deps.writeRate?.rule ?? DEFAULT_AIMD_RULE,
      );
      limiter?.concurrencyIs(controller.concurrency);
    },
  };
}
