import { performance } from 'node:perf_hooks';
import type { RunReport } from '../../lambdas/lib/run';
import { runBackfillLocally } from '../../local/runtime/runBackfillLocally';
import { benchSpec } from '../benchSpec';
import { openFixtureCopy } from '../child/fixtures';
import { LambdaMeter } from '../metering/LambdaMeter';
import type { GateOverheadJob, GateOverheadResult } from './gateJobs';
import { GateReadMeter } from './GateReadMeter';

/**
 * A full backfill on a fresh copy of the seeded data, with the workers' gate reads found and timed
 * (GateReadMeter) and every worker invocation timed (LambdaMeter): the summed gate time over the
 * summed worker time is the gate's share of the workers' time, in this one run.
 */
export async function gateOverheadJob(job: GateOverheadJob): Promise<GateOverheadResult> {
  const env = await openFixtureCopy(job.fixtureDir);
  const gate = new GateReadMeter({ memoize: job.memoizeGate });
  gate.attach(env.deps.clients.ddb);
  const lambdas = new LambdaMeter();
  try {
    const started = performance.now();
    const outcome = await runBackfillLocally({ env, input: benchSpec(job.spec), runId: job.runId, wrapTaskHandler: lambdas.wrap });
    const wallMs = performance.now() - started;
    if (outcome.status !== 'SUCCEEDED') throw new Error(`the backfill ${job.runId} ended ${outcome.status}: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
    const report = outcome.output as RunReport;
    const worker = lambdas.usage.worker ?? { invocations: 0, durationsMs: [] };
    return {
      kind: 'gate-overhead',
      records: report.records,
      memoizeGate: job.memoizeGate,
      wallMs,
      workerInvocations: worker.invocations,
      workerMs: worker.durationsMs.reduce((sum, ms) => sum + ms, 0),
      batches: report.batches.planned,
      gate: gate.usage(),
    };
  } finally {
    await env.close();
  }
}
