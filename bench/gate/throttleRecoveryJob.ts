import { performance } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { runPk } from '../../lambdas/lib/ledger/keys';
import { parseFaultSpec } from '../../local/faults';
import { runBackfillLocally } from '../../local/runtime/runBackfillLocally';
import type { LocalEnvironment } from '../../local/runtime/LocalEnvironment';
import { benchSpec } from '../benchSpec';
import { openFixtureCopy } from '../child/fixtures';
import type { ConcurrencyChange, ThrottleRecoveryJob, ThrottleRecoveryResult } from './gateJobs';

const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

/** The part of the AIMD controller record (sk `CONTROLLER`, owner F1) the bench reports. */
const ControllerSchema = z.object({ changes: z.array(z.object({ at: z.string(), from: z.number(), to: z.number(), why: z.string().optional() })).default([]) });

async function concurrencyChanges(env: LocalEnvironment, runId: string): Promise<ConcurrencyChange[]> {
  const { Item } = await env.clients.ddb.send(new GetCommand({ TableName: env.deps.ledgerTable, Key: { pk: runPk(runId), sk: 'CONTROLLER' }, ConsistentRead: true }));
  return Item ? ControllerSchema.parse(Item).changes : [];
}

/**
 * A full backfill whose target requests go through the fault proxy: counts the target item writes
 * that reach DynamoDB per bucket from the first one, injects `job.faults` after `baselineSeconds`
 * and clears them `throttleSeconds` later (the proxy's runtime switch), and reads the controller's
 * concurrency changes at the end.
 */
export async function throttleRecoveryJob(job: ThrottleRecoveryJob): Promise<ThrottleRecoveryResult> {
  const faults = parseFaultSpec(job.faults);
  // The proxy is in place from the start, injecting nothing until the throttled phase.
  const env = await openFixtureCopy(job.fixtureDir, { faults: parseFaultSpec('throttle=0') });
  const proxy = env.faultProxy!;
  const buckets: number[] = [];
  let firstWriteAt: number | undefined;
  let faultsFromMs = Number.NaN;
  let faultsUntilMs = Number.NaN;
  const timers: NodeJS.Timeout[] = [];
  const stopObserving = proxy.observe((request) => {
    if (request.fate !== 'passed' || request.status !== 200 || !ITEM_WRITES.has(request.operation)) return;
    const now = performance.now();
    if (firstWriteAt === undefined) {
      firstWriteAt = now;
      timers.push(setTimeout(() => {
        proxy.setFaults(faults);
        faultsFromMs = performance.now() - firstWriteAt!;
      }, job.baselineSeconds * 1000));
      timers.push(setTimeout(() => {
        proxy.clearFaults();
        faultsUntilMs = performance.now() - firstWriteAt!;
      }, (job.baselineSeconds + job.throttleSeconds) * 1000));
    }
    const bucket = Math.floor((now - firstWriteAt) / job.bucketMs);
    while (buckets.length <= bucket) buckets.push(0);
    buckets[bucket]! += 1;
  });
  try {
    const started = performance.now();
    const outcome = await runBackfillLocally({ env, input: benchSpec(job.spec), runId: job.runId });
    const wallMs = performance.now() - started;
    if (outcome.status !== 'SUCCEEDED') throw new Error(`the backfill ${job.runId} ended ${outcome.status}: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
    return {
      kind: 'throttle-recovery',
      records: job.records,
      faults: job.faults,
      wallMs,
      bucketMs: job.bucketMs,
      writesPerBucket: buckets,
      faultsFromMs,
      faultsUntilMs,
      requests: proxy.counts(),
      concurrencyChanges: await concurrencyChanges(env, job.runId),
    };
  } finally {
    stopObserving();
    for (const timer of timers) clearTimeout(timer);
    await env.close();
  }
}
