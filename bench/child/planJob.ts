import { performance } from 'node:perf_hooks';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { startOrResumeRun } from '../../lambdas/lib/ledger';
import { buildPlan } from '../../lambdas/lib/plan';
import { validateExecutionInput } from '../../lambdas/lib/spec/validateExecutionInput';
import { benchSpec } from '../benchSpec';
import type { PlanResultSummary } from '../jobs';
import { openFixture } from './fixtures';
import { startUsage } from './processUsage';

/** Planning alone, as the Plan state does it (after ValidateSpec and StartRun), on the seeded source. */
export async function planJob(job: { fixtureDir: string; records: number; batchSize: number; runId: string }): Promise<PlanResultSummary> {
  const env = await openFixture(job.fixtureDir);
  try {
    const { runId, spec, specHash } = validateExecutionInput(benchSpec({ batchSize: job.batchSize }), job.runId);
    await startOrResumeRun(env.deps, { runId, spec, specHash });
    const usage = startUsage();
    const started = performance.now();
    const plan = await buildPlan(env.deps, runId, spec);
    const wallMs = performance.now() - started;
    const process = usage.stop();
    const head = await env.clients.s3.send(new HeadObjectCommand({ Bucket: plan.manifestBucket, Key: plan.manifestKey }));
    return { kind: 'plan', records: plan.recordCount, wallMs, batches: plan.batchCount, objects: plan.objectCount, manifestBytes: head.ContentLength ?? 0, process };
  } finally {
    await env.close();
  }
}
