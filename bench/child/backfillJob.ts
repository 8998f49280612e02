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
import { StagedRecorder } from './stagedRecorder';
import { stagedBenchSpec } from '../staged/stagedSpec';

/**
 * One full backfill — ValidateSpec, StartRun, Plan, the distributed Map of workers, Finalize —
 * through statemachines/backfill.asl.json and the real handlers, on a fresh copy of the seeded
 * data, with every AWS request and every handler call metered. Then, when asked, the local floor
 * in the same process (see floor.ts). With `staged`, the spec is staged and the stages are timed
 * from the parent's history (see stagedRecorder.ts).
 */
export async function backfillJob(job: {
  fixtureDir: string;
  records: number;
  spec: SpecOverrides;
  runId: string;
  floor?: { concurrency: number; sample: number };
  staged?: boolean;
  timeStates?: boolean;
}): Promise<BackfillResult> {
  const env = await openFixtureCopy(job.fixtureDir);
  // Requests are attributed to functions in the staged pair's runs: the staged run's rest needs it, and
  // its unstaged twin is metered alike, since call tracking (AsyncLocalStorage) slows every promise of
  // the process and would otherwise count as overhead of the staged rollout.
  const attributed = job.staged === true || job.timeStates === true;
  const lambdas = new LambdaMeter({ trackCalls: attributed });
  const api = new ApiMeter(attributed ? lambdas.currentFunction : undefined);
  api.attach(env.clients);
  const recorder = job.staged || job.timeStates ? new StagedRecorder(api, lambdas) : undefined;
  const input = job.staged ? stagedBenchSpec(job.spec) : benchSpec(job.spec);
  try {
    const usage = startUsage();
    api.start();
    recorder?.start();
    const started = performance.now();
    const outcome = await runBackfillLocally({ env, input, runId: job.runId, wrapTaskHandler: lambdas.wrap, ...(recorder ? { onHistoryEvent: recorder.onHistoryEvent } : {}) });
    const wallMs = performance.now() - started;
    const apiUsage = api.stop();
    const process = usage.stop();
    if (outcome.status !== 'SUCCEEDED') throw new Error(`the backfill ${job.runId} ended ${outcome.status}: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
    const report = outcome.output as RunReport;
    const targetTable = parseSpec(input).target.tableName;
    const staged = recorder && job.staged
      ? await recorder.finish(env, { runId: job.runId, records: report.records, batches: report.batches.planned, written: report.counts.written, produced: report.counts.produced, engine: outcome.stats, api: apiUsage, targetTable }, wallMs)
      : undefined;
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
      ...(recorder ? { stateMs: recorder.stateMs(wallMs) } : {}),
      ...(staged ? { staged } : {}),
    };
  } finally {
    await env.close();
  }
}
