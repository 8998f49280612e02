import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { getRun } from '../../lambdas/lib/ledger';
import { runPk } from '../../lambdas/lib/ledger/keys';
import { localSfnClient } from '../../local/cloud/cloudExecution';
import { startLocalCloud, type LocalCloud } from '../../local/cloud/startLocalCloud';
import { parseFaultSpec } from '../../local/faults';
import { benchSpec } from '../benchSpec';
import { copyFixture } from '../child/fixtures';
import type { ConcurrencyChange, ThrottleRecoveryJob, ThrottleRecoveryResult } from './gateJobs';

const ITEM_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const POLL_MS = 250;

/** The part of the AIMD controller record (lambdas/lib/rate/controllerRecord.ts) the bench reports. */
const ControllerSchema = z.object({ changes: z.array(z.object({ at: z.string(), from: z.number(), to: z.number(), why: z.string().optional() })).default([]) });

async function concurrencyChanges(cloud: LocalCloud, runId: string, firstWriteEpochMs: number | undefined): Promise<ConcurrencyChange[]> {
  const { env } = cloud;
  const { Item } = await env.clients.ddb.send(new GetCommand({ TableName: env.deps.ledgerTable, Key: { pk: runPk(runId), sk: 'CONTROLLER' }, ConsistentRead: true }));
  const changes = Item ? ControllerSchema.parse(Item).changes : [];
  return changes.map((change) => (firstWriteEpochMs === undefined ? change : { ...change, afterFirstWriteSeconds: (Date.parse(change.at) - firstWriteEpochMs) / 1000 }));
}

/** Polls the execution to its end; a run the breaker paused is an error (this run measures the controller, not the breaker). */
async function untilEnded(cloud: LocalCloud, sfn: SFNClient, executionArn: string, runId: string): Promise<string> {
  for (;;) {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? 'UNKNOWN';
    const run = await getRun(cloud.env.deps, runId);
    if (run?.status === 'PAUSED') throw new Error(`the recovery run ${runId} was PAUSED (${JSON.stringify(run.control ?? {})}): the breaker tripped, so the throttled phase is too long for its alarms`);
    await sleep(POLL_MS);
  }
}

/**
 * A full backfill through the local cloud, as `npm start` runs it: the Step Functions API, whose
 * UpdateMapRun the workers' AIMD controller steers, and the breaker's alarms at the stack's
 * thresholds. The handlers' target requests go through the fault proxy: undisturbed for
 * `baselineSeconds` from the first target write, then `job.faults` for `throttleSeconds` (the
 * proxy's runtime switch), then none. Counts the target item writes that reach DynamoDB per bucket
 * from the first one, and reads the controller's concurrency changes at the end.
 */
export async function throttleRecoveryJob(job: ThrottleRecoveryJob): Promise<ThrottleRecoveryResult> {
  const faults = parseFaultSpec(job.faults);
  const dataDir = copyFixture(job.fixtureDir, 'recovery-');
  // The proxy is in place from the start, injecting nothing until the throttled phase.
  const cloud = await startLocalCloud({ dataDir, port: 0, demo: false, codeVersion: 'bench', faults: parseFaultSpec('throttle=0') });
  const proxy = cloud.env.faultProxy!;
  const buckets: number[] = [];
  let firstWriteAt: number | undefined;
  // The controller stamps its changes in wall-clock time: this places them on the run's timeline.
  let firstWriteEpochMs: number | undefined;
  let faultsFromMs = Number.NaN;
  let faultsUntilMs = Number.NaN;
  const timers: NodeJS.Timeout[] = [];
  const stopObserving = proxy.observe((request) => {
    if (request.fate !== 'passed' || request.status !== 200 || !ITEM_WRITES.has(request.operation)) return;
    const now = performance.now();
    if (firstWriteAt === undefined) {
      firstWriteAt = now;
      firstWriteEpochMs = Date.now();
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
  const sfn = localSfnClient(cloud);
  try {
    const started = performance.now();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: cloud.endpoints.resources.backfillStateMachineArn, name: job.runId, input: JSON.stringify({ ...benchSpec(job.spec), runId: job.runId, startedBy: 'bench' }) }),
    );
    const status = await untilEnded(cloud, sfn, executionArn!, job.runId);
    const wallMs = performance.now() - started;
    if (status !== 'SUCCEEDED') {
      const { error, cause } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      throw new Error(`the backfill ${job.runId} ended ${status}: ${error ?? ''} ${cause ?? ''}`);
    }
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
      concurrencyChanges: await concurrencyChanges(cloud, job.runId, firstWriteEpochMs),
    };
  } finally {
    stopObserving();
    for (const timer of timers) clearTimeout(timer);
    sfn.destroy();
    await cloud.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
