import { performance } from 'node:perf_hooks';
import { parseSpec } from '../../lambdas/lib/spec';
import { writeTargetItem } from '../../lambdas/lib/worker';
import { mapWithConcurrency } from '../../lambdas/lib/worker/mapWithConcurrency';
import { batchWriteAll } from '../../local/demo';
import { benchSpec } from '../benchSpec';
import type { FloorResult, SpecOverrides } from '../jobs';
import { ApiMeter } from '../metering/ApiMeter';
import { changedItems } from './changedItems';
import { openFixtureCopy } from './fixtures';
import { startUsage } from './processUsage';

/** Every k-th item, so a sample spreads over the whole key space like the run's writes. */
function spread<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  const step = items.length / count;
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
}

/**
 * The local floor: the conditional PutItems the workers make (same items, same
 * `attribute_not_exists(pk) OR version <= :v` condition, through the same `writeTargetItem`),
 * issued from one process with `concurrency` in flight, on a fresh copy of the seeded data — no
 * plan, no engine, no reads, no snapshots. Then BatchWriteItem of the same items for reference.
 */
export async function floorJob(job: { fixtureDir: string; records: number; spec: SpecOverrides; concurrency: number; sample: number }): Promise<FloorResult> {
  const parsed = parseSpec(benchSpec(job.spec));
  const changed = changedItems(job.records, parsed, 'floor-00000000000000000000');
  // A tenth more than the sample warms the process up (JIT, sockets) untimed: the floor is the
  // steady rate, which the backfill, writing far more items, runs at for most of its time.
  const warmCount = Math.max(100, Math.round(job.sample / 10));
  const all = spread(changed, job.sample + warmCount);
  const warm = all.filter((_, i) => i % Math.ceil(all.length / warmCount) === 0).slice(0, warmCount);
  const warmSet = new Set(warm);
  const sample = all.filter((item) => !warmSet.has(item));
  const env = await openFixtureCopy(job.fixtureDir);
  // Metered like the backfill runs, so both pay the same middleware and ReturnConsumedCapacity.
  const meter = new ApiMeter();
  meter.attach(env.clients);
  meter.start();
  try {
    await mapWithConcurrency(warm, job.concurrency, (item) => writeTargetItem(env.clients.ddb, parsed.target, item, true));
    const usage = startUsage();
    let started = performance.now();
    await mapWithConcurrency(sample, job.concurrency, (item) => writeTargetItem(env.clients.ddb, parsed.target, item, true));
    const putMs = performance.now() - started;
    const process = usage.stop();
    started = performance.now();
    const requests = sample.map((Item) => ({ PutRequest: { Item: { ...Item, backfillRunId: 'floor-batch-write' } } }));
    await batchWriteAll(env.clients.ddb, parsed.target.tableName, requests, { concurrency: Math.max(1, Math.ceil(job.concurrency / 16)) });
    const batchMs = performance.now() - started;
    return {
      kind: 'floor',
      changedItems: changed.length,
      sampled: sample.length,
      concurrency: job.concurrency,
      conditionalPutsPerSecond: (sample.length / putMs) * 1000,
      batchWriteItemsPerSecond: (sample.length / batchMs) * 1000,
      process,
    };
  } finally {
    meter.stop();
    await env.close();
  }
}
