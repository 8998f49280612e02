import { GetObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { readStageEvidence, type StageEvidence } from '../../../../lambdas/lib/evidence';
import { claimBatch, failBatch, listStages } from '../../../../lambdas/lib/ledger';
import { gateStage, recheckSelection, StageGateFailedError, StageIncompleteError } from '../../../../lambdas/lib/stages/validate';
import { getTransform } from '../../../../lambdas/transforms';
import type { Transform } from '../../../../lambdas/transforms/Transform';
import { useEmulators } from '../../../support';
import { buggySummary, createStagedRun, orderEvent, type StagedRun } from '../../support/stagedRun';

const orderSummaryV2 = getTransform('order-summary@2');
/** 10 orders in batches of 4: b0000000 (1–4, the canary), b0000001 (5–8), b0000002 (9–10). */
const ORDERS = Array.from({ length: 10 }, (_, i) => orderEvent(i + 1));
/** Orders 1–3 as the buggy v1 left them (a cent short, local date); order 4 is new. */
const SEEDS = [1, 2, 3].map(buggySummary);

const evidenceOf = (run: StagedRun, stageName: string) => readStageEvidence(run.deps.clients.s3, run.deps.artifactsBucket, `evidence/${run.runId}/${stageName}.json`);
async function gateFailure(run: StagedRun, stage: ReturnType<StagedRun['stage']>, transformOf?: (id: string) => Transform): Promise<{ error: StageGateFailedError; evidence: StageEvidence }> {
  const error = await gateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage }, transformOf ? { transformOf } : {}).then(
    () => { throw new Error('the gate passed'); },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StageGateFailedError);
  // the stage is recorded GATE_FAILED with the evidence and the same failures the error names
  const evidence = await evidenceOf(run, stage.name);
  const record = (await listStages(run.deps, run.runId)).find((s) => s.name === stage.name);
  expect(record).toMatchObject({ status: 'GATE_FAILED', evidenceKey: `evidence/${run.runId}/${stage.name}.json`, failures: evidence.failures });
  expect(evidence.failures.length).toBeGreaterThan(0);
  return { error: error as StageGateFailedError, evidence };
}

describe('ValidateStage on a real order-summary@2 stage', () => {
  const env = useEmulators('dynalite');

  it('computes every section of a passing canary from its own batches only, and writes JSON and HTML', async () => {
    // GIVEN a staged apply run with approval, its canary and its wave processed
    const run = await createStagedRun(env(), { orders: ORDERS, seeds: SEEDS, spec: { validation: { expectedChangePercent: { min: 50, max: 100 } }, approval: { approvers: ['alice@example.com'] } } });
    const canary = run.stage(0, 1);
    await run.process(canary);
    await run.process(run.stage(1, 2));
    // WHEN the canary is validated
    const result = await gateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage: canary });
    // THEN it passes, waits for approval, and its evidence is the canary's alone
    expect(result).toEqual({ stage: 'canary', passed: true, evidenceKey: `evidence/${run.runId}/canary.json`, evidenceHtmlKey: `evidence/${run.runId}/canary.html`, approvalNeeded: true });
    const evidence = await evidenceOf(run, 'canary');
    expect(evidence).toMatchObject({ passed: true, failures: [], mode: 'apply', transform: 'order-summary@2' });
    expect(evidence.counts).toEqual({ read: 4, malformed: 0, produced: 4, written: 4, created: 1, unchanged: 0, skippedNewer: 0, skippedChanged: 0 });
    expect(evidence.changeRatio).toMatchObject({ changePercent: 100, passed: true, band: { min: 50, max: 100 } });
    expect(evidence.determinism).toEqual({ checkedBatches: ['b0000000'], selection: { rule: 'every-batch', of: 1 }, unrecordedBatches: 0, mismatches: [], passed: true });
    expect(evidence.rules.rules.map((r) => [r.name, r.checked, r.violations])).toEqual([['total-cents-exact', 4, 0], ['order-date-utc', 4, 0], ['currency-iso-4217', 4, 0]]);
    // the diff: orders 1–3 existed; each gains a cent and the UTC date, Σ totalCents shifts by 3
    expect(evidence.diff).toMatchObject({ items: 4, created: 1, updated: 3, unchanged: 0 });
    const totalCents = evidence.diff.attributes.find((a) => a.attribute === 'totalCents')!;
    expect(totalCents).toMatchObject({ changed: 3, shift: { before: 198 + 298 + 398, after: 199 + 299 + 399 } });
    expect(totalCents.samples[0]).toEqual({ key: { orderId: 'ord-0001' }, before: 198, after: 199 });
    expect(evidence.diff.attributes.find((a) => a.attribute === 'orderDate')).toMatchObject({ changed: 3 });
    expect(evidence.diff.attributes.map((a) => a.attribute)).not.toContain('backfillRunId');
    // the forecast: the 2 remaining batches (6 records), time and dollars from the canary's measurement
    expect(evidence.measured).toMatchObject({ batches: 1, records: 4 });
    expect(evidence.measured.elapsedMs).toBeGreaterThan(0);
    expect(evidence.measured.usage.dynamodbWriteUnits).toBeGreaterThanOrEqual(4);
    expect(evidence.forecast).toMatchObject({ status: 'forecast', remaining: { batches: 2, records: 6 }, scale: 1.5 });
    expect((await listStages(run.deps, run.runId)).map((s) => [s.name, s.status, s.evidenceKey, s.failures])).toEqual([['canary', 'VALIDATED', result.evidenceKey, []], ['wave-1', 'RUNNING', undefined, undefined]]);
    const html = (await (await run.deps.clients.s3.send(new GetObjectCommand({ Bucket: run.deps.artifactsBucket, Key: result.evidenceHtmlKey }))).Body!.transformToString());
    expect(html).toContain('Stage canary — <strong class="pass">passed</strong>');
  });

  it('re-checks a wave\'s first and last batch, says so, and reads only the stage\'s batch records', async () => {
    // GIVEN 20 orders in 5 batches: a canary of 1, a wave of 4, all processed
    const orders = Array.from({ length: 20 }, (_, i) => orderEvent(i + 1));
    const run = await createStagedRun(env(), { orders });
    const wave = run.stage(1, 4);
    await run.process(run.stage(0, 1));
    await run.process(wave);
    // WHEN the wave is validated, counting the ledger records its queries return
    let batchRecordsRead = 0;
    const ddb = new Proxy(run.deps.clients.ddb, {
      get(target, property) {
        if (property !== 'send') return Reflect.get(target, property, target) as unknown;
        return async (command: QueryCommand) => {
          const output = (await target.send(command)) as QueryCommandOutput;
          if (command instanceof QueryCommand && command.input.TableName === run.deps.ledgerTable) {
            batchRecordsRead += (output.Items ?? []).filter((item) => String(item.sk).startsWith('BATCH#')).length;
          }
          return output;
        };
      },
    });
    await gateStage({ ...run.deps, clients: { ...run.deps.clients, ddb } }, { runId: run.runId, spec: run.spec, plan: run.plan, stage: wave });
    // THEN its first and last batch were transformed again, the evidence names the rule, and only its 4 records were read
    const evidence = await evidenceOf(run, 'wave-1');
    expect(evidence.determinism).toEqual({ checkedBatches: ['b0000001', 'b0000004'], selection: { rule: 'first-and-last', of: 4 }, unrecordedBatches: 0, mismatches: [], passed: true });
    expect(batchRecordsRead).toBe(4);
  });

  it('fails the determinism re-check of a planted non-deterministic transform', async () => {
    // GIVEN a transform whose output depends on how often it was called (like a clock or a random id)
    let calls = 0;
    const planted: Transform = { ...orderSummaryV2, apply: (order) => orderSummaryV2.apply(order).map((item) => ({ ...item, customerId: `cust-${(calls += 1)}` })) };
    const run = await createStagedRun(env(), { orders: ORDERS });
    const canary = run.stage(0, 1);
    await run.process(canary, planted);
    // WHEN the canary is validated with it
    const { error, evidence } = await gateFailure(run, canary, () => planted);
    // THEN the re-transformed batch hashes differently, and the run's error names it and the evidence
    expect(evidence.determinism.passed).toBe(false);
    expect(evidence.determinism.mismatches).toEqual([{ batchId: 'b0000000', expected: expect.stringMatching(/^[0-9a-f]{64}$/), got: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(error.name).toBe('StageGateFailed');
    expect(error.message).toContain('the determinism re-check transformed 1 batch(es) again and 1 gave other items (b0000000: recorded');
    expect(error.message).toContain(`The evidence is at evidence/${run.runId}/canary.json`);
  });

  it('fails on a planted rule violation, with a sample naming the item', async () => {
    // GIVEN an order in a currency that is three capitals (the schema takes it) but no ISO 4217 code
    const orders = ORDERS.map((o, i) => (i === 2 ? orderEvent(3, { currency: 'ABC' }) : o));
    const run = await createStagedRun(env(), { orders });
    const canary = run.stage(0, 1);
    await run.process(canary);
    // WHEN the canary is validated
    const { error, evidence } = await gateFailure(run, canary);
    // THEN the rule's violation is counted with its sample, and the gate fails naming it
    const currency = evidence.rules.rules.find((r) => r.name === 'currency-iso-4217')!;
    expect(currency).toMatchObject({ checked: 4, violations: 1, samples: [{ key: { orderId: 'ord-0003' }, value: 'ABC', message: 'currency "ABC" is not an active ISO 4217 code' }] });
    expect(evidence.rules.passed).toBe(false);
    expect(error.message).toContain('the transform\'s rules found 1 violation(s): currency-iso-4217 1 (e.g. {"orderId":"ord-0003"}: currency "ABC" is not an active ISO 4217 code)');
  });

  it('fails a change ratio outside the band', async () => {
    // GIVEN a band of 0–10% changed, and a canary that rewrites every item
    const run = await createStagedRun(env(), { orders: ORDERS, seeds: SEEDS, spec: { validation: { expectedChangePercent: { min: 0, max: 10 } } } });
    const canary = run.stage(0, 1);
    await run.process(canary);
    // WHEN it is validated THEN the ratio is outside the band and the gate fails with it
    const { error, evidence } = await gateFailure(run, canary);
    expect(evidence.changeRatio).toMatchObject({ changePercent: 100, passed: false });
    expect(error.message).toContain('the stage changed 100% of the items it produced (4 of 4), outside expectedChangePercent 0–10%');
  });

  it('fails when a produced item differs from its golden item, and does not count golden keys of other stages', async () => {
    // GIVEN a golden file: order 1 right, order 2 wrong by a cent, order 9 (in another stage)
    const run = await createStagedRun(env(), { orders: ORDERS });
    const golden = [orderSummaryV2.apply(orderEvent(1) as never)[0], { ...orderSummaryV2.apply(orderEvent(2) as never)[0], totalCents: 1 }, orderSummaryV2.apply(orderEvent(9) as never)[0]];
    await run.putText('golden/orders.jsonl', golden.map((g) => JSON.stringify(g)).join('\n'));
    const spec = { ...run.spec, validation: { sampleSize: 20, golden: `s3://${run.sourceBucket}/golden/orders.jsonl` } };
    const staged = { ...run, spec };
    const canary = run.stage(0, 1);
    await run.process(canary);
    // WHEN it is validated
    const { error, evidence } = await gateFailure(staged, canary);
    // THEN order 2 mismatches (golden line 2), order 9 is missing here without failing, order 1 matches
    expect(evidence.golden).toMatchObject({ golden: 3, matched: 1, mismatched: 1, missing: 1, passed: false });
    expect(evidence.golden!.mismatches[0]).toMatchObject({ key: { orderId: 'ord-0002' }, line: 2 });
    expect(error.message).toContain(`1 golden item(s) of s3://${run.sourceBucket}/golden/orders.jsonl differ from what the stage produced (first: {"orderId":"ord-0002"}, golden line 2)`);
  });

  it('produces the same evidence in a dry-run, with nothing written to the target', async () => {
    // GIVEN the first test's run in dry-run mode
    const run = await createStagedRun(env(), { orders: ORDERS, seeds: SEEDS, spec: { mode: 'dry-run' } });
    const before = await run.dumpTarget();
    const canary = run.stage(0, 1);
    await run.process(canary);
    // WHEN the canary is validated
    const result = await gateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage: canary });
    // THEN the target is as it was, nothing waits for approval, and the evidence diffs what would be written
    expect(await run.dumpTarget()).toBe(before);
    expect(result.approvalNeeded).toBe(false);
    const evidence = await evidenceOf(run, 'canary');
    expect(evidence).toMatchObject({ mode: 'dry-run', passed: true });
    expect(evidence.counts).toMatchObject({ produced: 4, written: 4, created: 1 });
    expect(evidence.diff.attributes.find((a) => a.attribute === 'totalCents')).toMatchObject({ changed: 3, shift: { before: 894, after: 897 } });
  });

  it('fails the gate on any failed batch of the stage, even within toleratedFailurePercent, naming it and saying a resume retries it', async () => {
    // GIVEN a wave of 2 batches whose second FAILED (the map tolerated it: it may have written items no rule saw) and whose first is DONE
    const failedWave = async (toleratedFailurePercent: number) => {
      const run = await createStagedRun(env(), { orders: ORDERS, spec: { toleratedFailurePercent } });
      const wave = run.stage(1, 2);
      const claim = await claimBatch(run.deps, { runId: run.runId, batchId: 'b0000002', owner: 'w', leaseSeconds: 60 });
      if (claim.kind !== 'claimed') throw new Error('b0000002 was not claimed');
      await failBatch(run.deps, claim.lease, new Error('boom'));
      await run.process(wave, undefined, ['b0000002']);
      return { run, wave };
    };
    // WHEN it is validated with 50% tolerated or none THEN the gate fails either way, the failed batch listed in the evidence and not counted
    for (const toleratedFailurePercent of [50, 0]) {
      const failed = await failedWave(toleratedFailurePercent);
      const { error, evidence } = await gateFailure(failed.run, failed.wave);
      expect(evidence).toMatchObject({ passed: false, failedBatches: [{ batchId: 'b0000002', error: 'Error: boom' }], counts: { read: 4 } });
      expect(error.message).toContain(
        '1 of the stage\'s 2 batch(es) FAILED (b0000002: Error: boom): a failed batch may have written items no check saw, so a stage passes only with all its batches DONE; ' +
          'fix that error and resume the run: resuming retries the failed batch(es) and checks the gate again',
      );
    }
  });

  it('refuses a stage whose batches are not all DONE', async () => {
    const run = await createStagedRun(env(), { orders: ORDERS });
    const wave = run.stage(1, 2);
    await expect(gateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage: wave })).rejects.toThrow(StageIncompleteError);
    await expect(gateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage: wave })).rejects.toThrow(/has 2 batch\(es\) not DONE: b0000001 \(not started\), b0000002 \(not started\)/);
  });

  it('names the batches a worker group never attempted after its failed batch (batchesPerWorker > 1) and says a resume retries them', async () => {
    // GIVEN a wave of 2 batches given to one worker: the first FAILED, so the worker never claimed the second
    const run = await createStagedRun(env(), { orders: ORDERS });
    const wave = run.stage(1, 2);
    const claim = await claimBatch(run.deps, { runId: run.runId, batchId: 'b0000001', owner: 'w', leaseSeconds: 60 });
    if (claim.kind !== 'claimed') throw new Error('b0000001 was not claimed');
    await failBatch(run.deps, claim.lease, new Error('boom'));
    // WHEN the wave is validated THEN it is refused, naming the batch not attempted, the failed one, and the resume
    const refused = gateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage: wave });
    await expect(refused).rejects.toThrow(StageIncompleteError);
    await expect(refused).rejects.toThrow(
      'stage wave-1 of run ' + run.runId + ' has 1 batch(es) not DONE: b0000002 (not started); b0000002 was never attempted: ' +
        'with batchesPerWorker > 1 a worker stops its group at its first failed batch (b0000001 FAILED); resume the run: it retries the failed batch(es) and attempts the rest',
    );
  });
});

describe('recheckSelection', () => {
  it('re-checks every batch of a canary and, of a wave, its first and its last', () => {
    expect(recheckSelection(5, 'canary')).toEqual([0, 1, 2, 3, 4]);
    expect(recheckSelection(1, 'wave')).toEqual([0]);
    expect(recheckSelection(2, 'wave')).toEqual([0, 1]);
    expect(recheckSelection(10, 'wave')).toEqual([0, 9]);
    expect(recheckSelection(1000, 'wave')).toEqual([0, 999]);
  });
});
