import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { DEFAULT_AIMD_RULE, type AimdRule } from './aimd';
import { followRunningMapRun, type FollowedMapRun } from './followRunningMapRun';
import type { BatchHealth, WriteTurns } from './observeTargetHealth';
import { reportBatchHealth } from './reportBatchHealth';
import { realSleep, WriteRateLimiter, type Sleeper } from './WriteRateLimiter';

/** One worker's part in the run's write rate: the turns its writes wait for, and its report after each batch. */
export interface WriteRateControl {
  /** Present with spec.maxWritesPerSecond: each target write waits for its turn. */
  readonly turns?: WriteTurns;
  /** The controller's concurrency as this worker starts, when it steers the run and has one (the Map Run's MaxConcurrency). */
  readonly concurrency?: number;
  /** Bringing a new Map Run to the controller's concurrency failed (the worker's share is sized at the spec's maxConcurrency). */
  readonly followFailed?: Error;
  /** Reports a batch's health to the controller (when it steers the run) and follows its concurrency: the controller's after the report. */
  afterBatch(health: BatchHealth): Promise<number | undefined>;
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
 * the parent execution and a Step Functions client, a Map Run started since the controller's last
 * change is first brought to the controller's concurrency ({@link followRunningMapRun}), and each
 * batch reports to the AIMD controller ({@link reportBatchHealth}); with spec.maxWritesPerSecond, a
 * {@link WriteRateLimiter} sized at the concurrency in force (the spec's maxConcurrency until the
 * controller has cut the running Map Run).
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
  const nowIso = () => new Date(deps.clock.nowMs()).toISOString();
  let followed: FollowedMapRun = { concurrencyInForce: spec.maxConcurrency };
  let followFailed: Error | undefined;
  if (steers) {
    const target = { runId, executionArn, maxConcurrency: spec.maxConcurrency, at: nowIso() };
    // Sized at the Map Run's maxConcurrency when this fails: its share then keeps the ceiling whatever the Map Run runs at.
    followed = await followRunningMapRun({ ...deps, clients: { ...deps.clients, sfn } }, target).catch((error: Error) => ((followFailed = error), { concurrencyInForce: spec.maxConcurrency }));
  }
  const limiter =
    spec.maxWritesPerSecond === undefined
      ? undefined
      : new WriteRateLimiter({ maxWritesPerSecond: spec.maxWritesPerSecond, concurrency: followed.concurrencyInForce, clock: deps.clock, sleep: deps.writeRate?.sleep ?? realSleep });
  return {
    turns: limiter,
    ...(followed.controller ? { concurrency: followed.controller.concurrency } : {}),
    ...(followFailed ? { followFailed } : {}),
    async afterBatch(health) {
      if (!steers) return undefined;
      const { controller } = await reportBatchHealth(
        { ...deps, clients: { ...deps.clients, sfn } },
        { runId, executionArn, throttles: health.throttles, at: nowIso(), maxConcurrency: spec.maxConcurrency },
        deps.writeRate?.rule ?? DEFAULT_AIMD_RULE,
      );
      limiter?.concurrencyIs(controller.concurrency);
      return controller.concurrency;
    },
  };
}
