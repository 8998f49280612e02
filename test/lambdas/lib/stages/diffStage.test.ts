import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StageEvidence } from '../../../../lambdas/lib/evidence';
import { listBatches } from '../../../../lambdas/lib/ledger';
import { batchSk, runPk } from '../../../../lambdas/lib/ledger/keys';
import { validateStage } from '../../../../lambdas/lib/stages/validate';
import { SnapshotIntegrityError } from '../../../../lambdas/lib/worker';
import { useEmulators } from '../../../support';
import { buggySummary, createStagedRun, orderEvent, type StagedRun } from '../../support/stagedRun';

/** 12 orders in batches of 4: the canary b0000000, the wave b0000001–b0000002. */
const ORDERS = Array.from({ length: 12 }, (_, i) => orderEvent(i + 1));
/** Orders 1–10 as the buggy v1 left them, some with a long note v2 drops (a sample cut for display). */
const SEEDS = Array.from({ length: 10 }, (_, i) => ({ ...buggySummary(i + 1), ...(i % 3 === 0 ? { note: `${'n'.repeat(300)}${i}` } : {}) }));

async function processedRun(env: Parameters<typeof createStagedRun>[0]): Promise<{ run: StagedRun; wave: ReturnType<StagedRun['stage']> }> {
  const run = await createStagedRun(env, { orders: ORDERS, seeds: SEEDS, spec: { validation: { sampleSize: 2 } } });
  const wave = run.stage(1, 2);
  await run.process(run.stage(0, 1));
  await run.process(wave);
  return { run, wave };
}
const diffOf = async (run: StagedRun, stage: ReturnType<StagedRun['stage']>): Promise<StageEvidence['diff']> =>
  (await validateStage(run.deps, { runId: run.runId, spec: run.spec, plan: run.plan, stage })).evidence.diff;
/** As a batch record of older code, or with a summary too big to keep, reads. */
const dropSummary = (run: StagedRun, batchId: string) =>
  run.deps.clients.ddb.send(new UpdateCommand({ TableName: run.deps.ledgerTable, Key: { pk: runPk(run.runId), sk: batchSk(batchId) }, UpdateExpression: 'REMOVE evidence.diffSummary' }));
async function deleteSnapshot(run: StagedRun, batchId: string): Promise<void> {
  const record = (await listBatches(run.deps, run.runId)).find((r) => r.batchId === batchId)!;
  await run.deps.clients.s3.send(new DeleteObjectCommand({ Bucket: run.deps.artifactsBucket, Key: record.snapshot!.key }));
}

describe('the stage diff from the workers\' summaries', () => {
  const env = useEmulators('dynalite');

  it('merges every batch\'s recorded summary without reading a snapshot', async () => {
    // GIVEN a processed wave whose snapshots are gone
    const { run, wave } = await processedRun(env());
    const records = await listBatches(run.deps, run.runId);
    expect(records.every((r) => typeof r.evidence?.diffSummary === 'string')).toBe(true);
    await deleteSnapshot(run, 'b0000001');
    await deleteSnapshot(run, 'b0000002');
    // WHEN it is validated THEN its diff is complete: orders 5–8 and 9–10 existed, 11–12 are new
    const diff = await diffOf(run, wave);
    expect(diff).toMatchObject({ items: 8, created: 2, updated: 6, unchanged: 0 });
    const totalCents = diff.attributes.find((a) => a.attribute === 'totalCents')!;
    expect(totalCents).toMatchObject({ changed: 6, shift: { before: [5, 6, 7, 8, 9, 10].reduce((s, n) => s + n * 100 + 98, 0), after: [5, 6, 7, 8, 9, 10].reduce((s, n) => s + n * 100 + 99, 0) } });
    expect(totalCents.samples).toEqual([{ key: { orderId: 'ord-0005' }, before: 598, after: 599 }, { key: { orderId: 'ord-0006' }, before: 698, after: 699 }]);
    expect(diff.attributes.find((a) => a.attribute === 'note')).toMatchObject({ removed: 2, samples: [{ key: { orderId: 'ord-0007' }, before: `${'n'.repeat(160)}… (301 chars)` }, { key: { orderId: 'ord-0010' } }] });
  });

  it('gives the same diff from summaries, from snapshots (records without one) and from a mix', async () => {
    // GIVEN a processed wave, validated from its summaries
    const { run, wave } = await processedRun(env());
    const fromSummaries = await diffOf(run, wave);
    // WHEN one batch, then both, carry no summary (older code), so their snapshots are read
    await dropSummary(run, 'b0000002');
    const mixed = await diffOf(run, wave);
    await dropSummary(run, 'b0000001');
    const fromSnapshots = await diffOf(run, wave);
    // THEN the three diffs are the same, to the byte
    expect(JSON.stringify(mixed)).toBe(JSON.stringify(fromSnapshots));
    expect(JSON.stringify(fromSummaries)).toBe(JSON.stringify(fromSnapshots));
  });

  it('falls back to the snapshot of a batch without a summary (its snapshot gone: the integrity error)', async () => {
    const { run, wave } = await processedRun(env());
    await dropSummary(run, 'b0000002');
    await deleteSnapshot(run, 'b0000002');
    await expect(diffOf(run, wave)).rejects.toThrow(SnapshotIntegrityError);
  });

  it('reads the snapshots when the stage asks for more samples than the summaries kept', async () => {
    const { run, wave } = await processedRun(env());
    await deleteSnapshot(run, 'b0000001');
    const spec = { ...run.spec, validation: { ...run.spec.validation!, sampleSize: 20 } };
    await expect(validateStage(run.deps, { runId: run.runId, spec, plan: run.plan, stage: wave })).rejects.toThrow(SnapshotIntegrityError);
  });
});
