import { LOCAL_NAMES } from '../../../infra/definitions';
import { PutObjectCommand } from '@aws-sdk/client-s3';
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

  it('stops before the first wave when a produced item breaks a rule of the transform, with the evidence', async () => {
    // GIVEN the demo dataset and, listed first (so in the canary), an object holding an order in
    // currency "ABC": three capitals, so the input schema takes it, but no ISO 4217 code
    const { env } = await seeded(2_000);
    const planted = { orderId: 'ord-planted-abc', version: 1, customerId: 'cust-00001', placedAt: '2024-02-29T10:00:00Z', currency: 'ABC', lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '9.99' }] };
    const body = `${JSON.stringify(planted)}\n`;
    await env.clients.s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.sourceBucket, Key: 'orders/dt=2024-02-29/part-00000.jsonl', Body: body, ContentLength: Buffer.byteLength(body) }));
    // WHEN the staged spec runs
    const outcome = await run(env, exampleSpec({ batchSize: 500, rollout: ROLLOUT }), 'staged-rule');
    // THEN the canary's gate fails on the rule, naming the item and the evidence; no wave ran
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('StageGateFailed');
    expect(outcome.cause).toContain('currency-iso-4217 1 (e.g. {"orderId":"ord-planted-abc"}: currency "ABC" is not an active ISO 4217 code)');
    expect(outcome.cause).toContain('evidence/staged-rule/canary.json');
    expect((await listBatches(env.deps, 'staged-rule')).map((b) => b.batchId)).toEqual(['b0000000']);
    expect((await listStages(env.deps, 'staged-rule')).map((s) => [s.name, s.status])).toEqual([['canary', 'GATE_FAILED']]);
    const evidence = await evidenceOf(env, 'staged-rule', 'canary');
    expect(evidence.rules.rules.find((r) => r.name === 'currency-iso-4217')).toMatchObject({ violations: 1, samples: [{ key: { orderId: 'ord-planted-abc' }, value: 'ABC' }] });
  });
});
