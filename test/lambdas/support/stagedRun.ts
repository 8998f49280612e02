import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../../lambdas/lib/canonicalJson';
import { beginStage, startOrResumeRun } from '../../../lambdas/lib/ledger';
import { buildPlan, type PlanResult } from '../../../lambdas/lib/plan';
import type { Clock } from '../../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { parseSpec, specHash, type Spec, type SpecInput } from '../../../lambdas/lib/spec';
import type { PlannedStage } from '../../../lambdas/lib/stages';
import { processBatch } from '../../../lambdas/lib/worker';
import { getTransform } from '../../../lambdas/transforms';
import type { TargetItem, Transform } from '../../../lambdas/transforms/Transform';
import { createTestStore, uniqueName, type TestEmulators } from '../../support';
import { exampleSpecInput } from '../fixtures/specs';

/** One order event of the demo's source: `ord-000n`, one line of n.99 (so totalCents is n × 100 + 99). */
export function orderEvent(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: `ord-${String(n).padStart(4, '0')}`, version: 1, customerId: 'cust-0001',
    placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: `${n}.99` }],
    ...overrides,
  };
}

/** What the buggy order-summary@1 left in the target for order n: a cent short, the local date. */
export function buggySummary(n: number): TargetItem {
  return { orderId: `ord-${String(n).padStart(4, '0')}`, version: 1, customerId: 'cust-0001', orderDate: '2024-03-09', currency: 'USD', itemCount: 1, totalCents: n * 100 + 98 };
}

/** A clock that moves 5 ms on every read, so stages take measurable time. */
export function tickingClock(startMs = Date.UTC(2026, 0, 1)): Clock & { nowMs(): number } {
  let now = startMs;
  return { nowMs: () => (now += 5) };
}

export interface StagedRun {
  readonly deps: Deps;
  readonly runId: string;
  readonly spec: Spec;
  readonly plan: PlanResult;
  readonly sourceBucket: string;
  readonly targetTable: string;
  /** The stage of `batchCount` batches from `firstBatch` (index 0 is the canary). */
  stage(firstBatch: number, batchCount: number): PlannedStage;
  /** Begins the stage and runs the worker on its batches (with `transform`, by default the spec's), but those in `skip`. */
  process(stage: PlannedStage, transform?: Transform, skip?: readonly string[]): Promise<void>;
  putText(key: string, text: string): Promise<void>;
  /** The target as sorted canonical JSON lines. */
  dumpTarget(): Promise<string>;
}

/**
 * A staged order-summary@2 run on the emulators: its own ledger, artifacts and source buckets and
 * target table; `orders` uploaded as one JSONL object, `seeds` put in the target, the run started
 * and planned (batches of `batchSize`, default 4; a canary of 1 batch, then one wave).
 */
export async function createStagedRun(
  env: Pick<TestEmulators, 'clients'>,
  options: { orders: readonly Record<string, unknown>[]; seeds?: readonly TargetItem[]; spec?: Partial<SpecInput> & Record<string, unknown> },
): Promise<StagedRun> {
  const store = await createTestStore(env);
  const deps: Deps = { ...store.deps, clock: tickingClock() };
  const sourceBucket = await store.createBucket();
  const targetTable = await store.createTable({ partitionKey: { name: 'orderId', type: 'S' } });
  const spec = parseSpec({
    ...exampleSpecInput(),
    source: { type: 's3-jsonl', bucket: sourceBucket, prefix: 'orders/' },
    target: { tableName: targetTable, partitionKey: 'orderId', versionAttribute: 'version' },
    batchSize: 4,
    rollout: { canary: { batches: 1 }, waves: [100] },
    ...options.spec,
  });
  await store.putText(sourceBucket, 'orders/part-0001.jsonl', options.orders.map((o) => `${JSON.stringify(o)}\n`).join(''));
  for (const seed of options.seeds ?? []) await env.clients.ddb.send(new PutCommand({ TableName: targetTable, Item: seed }));
  const runId = uniqueName('run');
  await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec) });
  const plan = await buildPlan(deps, runId, spec);
  return {
    deps, runId, spec, plan, sourceBucket, targetTable,
    stage(firstBatch, batchCount) {
      const stage = plan.stages?.find((s) => s.firstBatch === firstBatch && s.batchCount === batchCount);
      if (!stage) throw new Error(`the plan has no stage of ${batchCount} batch(es) from ${firstBatch}: ${JSON.stringify(plan.stages)}`);
      return stage;
    },
    async process(stage, transform = getTransform(spec.transform), skip = []) {
      // As NextStage does before the stage's map.
      await beginStage(deps, { runId, stage });
      const text = await store.getText(deps.artifactsBucket, plan.manifestKey);
      const items = text.trim().split('\n').map((line) => JSON.parse(line) as Parameters<typeof processBatch>[2]);
      for (const item of items.slice(stage.firstBatch, stage.firstBatch + stage.batchCount).filter((i) => !skip.includes(i.batchId))) await processBatch(deps, { runId, spec, transform, owner: 'test-worker' }, item);
    },
    putText: async (key, text) => {
      await env.clients.s3.send(new PutObjectCommand({ Bucket: sourceBucket, Key: key, Body: text, ContentLength: Buffer.byteLength(text) }));
    },
    async dumpTarget() {
      const { Items = [] } = await env.clients.ddb.send(new ScanCommand({ TableName: targetTable, ConsistentRead: true }));
      return Items.map((item) => canonicalJson(item)).sort().join('\n');
    },
  };
}
