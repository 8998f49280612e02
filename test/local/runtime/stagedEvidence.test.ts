import { LOCAL_NAMES } from '../../../infra/definitions';
import { listBatches, listStages } from '../../../lambdas/lib/ledger';
import { readStageEvidence } from '../../../lambdas/lib/evidence';
import { exampleSpec, run, useSeededEnvironments } from './localRun';

jest.setTimeout(400_000);

const ROLLOUT = { canary: { batches: 1 }, waves: [50, 100] };
const evidenceOf = (env: Awaited<ReturnType<ReturnType<typeof useSeededEnvironments>>>['env'], runId: string, stage: string) =>
  readStageEvidence(env.clients.s3, LOCAL_NAMES.artifactsBucket, `evidence/${runId}/${stage}.json`);

describe('the evidence of a staged local backfill (statemachines/backfill.asl.json)', () => {
  const seeded = useSeededEnvironments();

  it('validates every stage and succeeds, with evidence per stage computed from that stage alone', async () => {
    // GIVEN the demo dataset in batches of at most 500 and a canary of 1 batch, then waves to 50% and 100%
    const { env } = await seeded(2_000);
    // WHEN the staged spec runs (no approval: every gate is automatic)
    const outcome = await run(env, exampleSpec({ batchSize: 500, rollout: ROLLOUT, validation: { expectedChangePercent: { min: 0, max: 100 } } }), 'staged-ok');
    // THEN it succeeds, each stage PASSED with its evidence, whose counts add up to the report's
    expect(outcome.status).toBe('SUCCEEDED');
    const stages = await listStages(env.deps, 'staged-ok');
    expect(stages.map((s) => [s.name, s.status])).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
    const evidence = await Promise.all(stages.map((s) => evidenceOf(env, 'staged-ok', s.name)));
    const batches = await listBatches(env.deps, 'staged-ok');
    const readOf = (first: number, count: number) => batches.slice(first, first + count).reduce((sum, b) => sum + b.counts!.read, 0);
    expect(evidence.map((e) => [e.stage.name, e.passed, e.counts.read])).toEqual(stages.map((s) => [s.name, true, readOf(s.firstBatch, s.batchCount)]));
    expect(evidence.reduce((sum, e) => sum + e.counts.read, 0)).toBe(2_000);
    expect(evidence[0]!.forecast).toMatchObject({ status: 'forecast', remaining: { batches: batches.length - 1, records: 2_000 - evidence[0]!.counts.read } });
    expect(evidence[0]!.rules.rules.map((r) => r.violations)).toEqual([0, 0, 0]);
  });
});
