import { performance } from 'node:perf_hooks';
import type { Spec } from '../../lambdas/lib/spec';
import { writeTargetItem } from '../../lambdas/lib/worker';
import { mapWithConcurrency } from '../../lambdas/lib/worker/mapWithConcurrency';
import { batchWriteAll } from '../../local/demo';
import type { LocalEnvironment } from '../../local/runtime/LocalEnvironment';
import type { FloorMeasurement } from '../jobs';
import { changedItems } from './changedItems';

/** Untimed writes before the timed ones (sockets, the last JIT tiers of the put path). */
const WARM_UP_WRITES = 200;

/** `count` items spread evenly over `items`, so a sample covers the key space like the run's writes. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

/**
 * The local floor, right after a backfill in the same process (so the put path is as warm as in
 * the run's steady state): the conditional PutItems the workers make — the same items, the same
 * `attribute_not_exists(pk) OR version <= :v` condition, through the same `writeTargetItem` —
 * issued with `concurrency` in flight, nothing else. Then BatchWriteItem of the same items, for
 * reference (no condition possible, 25 items a call, concurrency / 16 calls in flight).
 */
export async function measureFloor(env: LocalEnvironment, records: number, spec: Spec, options: { concurrency: number; sample: number }): Promise<FloorMeasurement> {
  const changed = changedItems(records, spec, 'floor-run-0000000000000000');
  const sample = spread(changed, options.sample);
  const write = (item: Record<string, unknown>) => writeTargetItem(env.clients.ddb, spec.target, item, true);
  await mapWithConcurrency(spread(changed, WARM_UP_WRITES), options.concurrency, write);
  const cpu = process.cpuUsage();
  let started = performance.now();
  await mapWithConcurrency(sample, options.concurrency, write);
  const putMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  started = performance.now();
  const requests = sample.map((Item) => ({ PutRequest: { Item: { ...Item, backfillRunId: 'floor-batch-write' } } }));
  await batchWriteAll(env.clients.ddb, spec.target.tableName, requests, { concurrency: Math.max(1, Math.ceil(options.concurrency / 16)) });
  const batchMs = performance.now() - started;
  return {
    changedItems: changed.length,
    sampled: sample.length,
    concurrency: options.concurrency,
    conditionalPutsPerSecond: (sample.length / putMs) * 1000,
    cpuMsPerPut: (used.user + used.system) / 1000 / sample.length,
    batchWriteItemsPerSecond: (sample.length / batchMs) * 1000,
  };
}
