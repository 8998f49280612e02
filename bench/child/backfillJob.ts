import { performance } from 'node:perf_hooks';
import type { RunReport } from '../../lambdas/lib/run';
import { parseSpec } from '../../lambdas/lib/spec';
import { runBackfillLocally } from '../../local/runtime/runBackfillLocally';
import { benchSpec } from '../benchSpec';
import type { BackfillResult, SpecOverrides } from '../jobs';
import { ApiMeter } from '../metering/ApiMeter';
import { LambdaMeter } from '../metering/LambdaMeter';
import { openFixtureCopy } from './fixtures';
import { measureFloor } from './floor';
import { startUsage } from './processUsage';

/**
 * One full backfill — ValidateSpec, StartRun, Plan, the distributed Map of workers, Finalize —
 * through statemachines/backfill.asl.json and the real handlers, on a fresh copy of the seeded
 * data, with every AWS request and every handler call metered. Then, when asked, the local floor
 * in the same process (see floor.ts).
 */
export async function backfillJob(job: {
  fixtureDir: string;
  records: number;
  spec: SpecOverrides;
  runId: string;
  floor?: { concurrency: number; sample: number };
}): Promise<BackfillResult> {
  const env = await openFixtureCopy(job.fixtureDir);
  const api = new ApiMeter();
  api.attach(env.clients);
  const lambdas = new LambdaMeter();
  try {
    const usage = startUsage();
    api.start();
    const started = performance.now();
    const outcome = await runBackfillLocally({ env, input: benchSpec(job.spec), runId: job.runId, wrapTaskHandler: lambdas.wrap });
    const wallMs = performance.now() - started;
    const apiUsage = api.stop();
    const process = usage.stop();
    if (outcome.status !== 'SUCCEEDED') throw new Error(`the backfill ${job.runId} ended ${outcome.status}: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
    const report = outcome.output as RunReport;
    const floor = job.floor ? await measureFloor(env, job.records, parseSpec(benchSpec(job.spec)), job.floor) : undefined;
    return {
      kind: 'backfill',
      records: report.records,
      wallMs,
      counts: report.counts,
      batches: report.batches.planned,
      engine: outcome.stats,
      api: apiUsage,
      lambdas: lambdas.usage,
      process,
      ...(floor ? { floor } : {}),
    };
  } finally {
    await env.close();
  }
}
