import { performance } from 'node:perf_hooks';
import type { Spec } from '../../lambdas/lib/spec';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
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
 * the run's steady state): conditional PutItems of the items the run changed, with the bare
 * version condition `attribute_not_exists(pk) OR version <= :v` (the workers' writes carry the
 * longer pre-image guard, which costs the emulator more), issued with `concurrency` in flight,
 * nothing else. Then BatchWriteItem of the same items, for
 * reference (no condition possible, 25 items a call, concurrency / 16 calls in flight).
 */
export async function measureFloor(env: LocalEnvironment, records: number, spec: Spec, options: { concurrency: number; sample: number }): Promise<FloorMeasurement> {
  const changed = changedItems(records, spec, 'floor-run-0000000000000000');
  const sample = spread(changed, options.sample);
  const { tableName, partitionKey, versionAttribute } = spec.target;
  const write = (item: Record<string, unknown>) =>
    env.clients.ddb.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk) OR #version <= :version',
        ExpressionAttributeNames: { '#pk': partitionKey, '#version': versionAttribute },
        ExpressionAttributeValues: { ':version': item[versionAttribute] },
      }),
    );
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
