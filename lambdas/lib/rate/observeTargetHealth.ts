import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../runtime/Clock';

/** What a batch saw of its target table's health: throttled attempts and the latency of its writes. */
export interface BatchHealth {
  /** Attempts DynamoDB refused as throttled (ProvisionedThroughputExceeded, ThrottlingException, RequestLimitExceeded), SDK retries included. */
  readonly throttles: number;
  /** Write requests sent (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems), each counted once whatever its attempts. */
  readonly writeRequests: number;
  /** Each write request's time from send to answer (its retries and their back-off included), in milliseconds. */
  readonly writeLatencyMs: { readonly p50: number; readonly max: number };
}

/** Nothing observed. */
export const NO_HEALTH: BatchHealth = { throttles: 0, writeRequests: 0, writeLatencyMs: { p50: 0, max: 0 } };

/** Takes one write's turn under a fleet-wide ceiling (see WriteRateLimiter); resolves when the write may be sent. */
export interface WriteTurns {
  take(): Promise<void>;
}

/** A view of a target table's client that observes what is sent through it, until `stop`. */
export interface TargetHealthObserver {
  readonly ddb: DynamoDBDocumentClient;
  stop(): BatchHealth;
}

type Next = (args: unknown) => Promise<unknown>;
type Middleware = (next: Next, context: { commandName?: string }) => (args: unknown) => Promise<unknown>;
interface Command {
  readonly middlewareStack: { add(middleware: Middleware, options: { step: 'initialize' | 'deserialize'; name: string; priority: 'high'; override: true }): void };
}
interface Sender {
  send(command: Command, ...rest: unknown[]): Promise<unknown>;
}

/** The error names DynamoDB answers a throttled request with (the SDK retries each of them). */
export const THROTTLE_ERRORS: ReadonlySet<string> = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
const WRITE_OPERATIONS: ReadonlySet<string> = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

/**
 * A view of `ddb` (same connections and configuration) for one batch's target-table requests. Each
 * request sent through it carries a middleware at the `deserialize` step, which runs below the SDK's
 * retry, once per attempt: it counts the attempts DynamoDB throttled, which the retries would
 * otherwise hide when a later attempt succeeds. Write requests are timed with `clock` (whole
 * request, retries included) and, with `turns`, wait for their turn under the write ceiling first.
 * Requests sent through `ddb` itself are not touched.
 *
 * @example
 *   const health = observeTargetHealth(deps.clients.ddb, deps.clock);
 *   await writeTargetItem(health.ddb, spec.target, item, preImage);
 *   health.stop(); // { throttles: 2, writeRequests: 1, writeLatencyMs: { p50: 130, max: 130 } }
 */
export function observeTargetHealth(ddb: DynamoDBDocumentClient, clock: Clock, turns?: WriteTurns): TargetHealthObserver {
  let throttles = 0;
  let open = true;
  const latencies: number[] = [];
  const countThrottles: Middleware = (next) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (open && error instanceof Error && THROTTLE_ERRORS.has(error.name)) throttles += 1;
      throw error;
    }
  };
  // Above the retry, once per request: the write's turn, then its time until the last attempt answers.
  const timeWrites: Middleware = (next, context) => async (args) => {
    if (!WRITE_OPERATIONS.has(context.commandName ?? '')) return next(args);
    if (turns) await turns.take();
    const startedMs = clock.nowMs();
    try {
      return await next(args);
    } finally {
      if (open) latencies.push(clock.nowMs() - startedMs);
    }
  };
  const send = (command: Command, ...rest: unknown[]): Promise<unknown> => {
    command.middlewareStack.add(timeWrites, { step: 'initialize', name: 'targetWriteTimer', priority: 'high', override: true });
    command.middlewareStack.add(countThrottles, { step: 'deserialize', name: 'targetThrottleCounter', priority: 'high', override: true });
    return (ddb as unknown as Sender).send(command, ...rest);
  };
  const view = new Proxy(ddb, {
    get(target, property) {
      if (property === 'send') return send;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    ddb: view,
    stop() {
      open = false;
      const sorted = [...latencies].sort((a, b) => a - b);
      const p50 = sorted.length === 0 ? 0 : sorted[Math.ceil(sorted.length / 2) - 1]!;
      return { throttles, writeRequests: sorted.length, writeLatencyMs: { p50, max: sorted.at(-1) ?? 0 } };
    },
  };
}
