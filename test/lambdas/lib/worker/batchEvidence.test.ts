import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../../lambdas/lib/canonicalJson';
import { SpecSchema, type Spec } from '../../../../lambdas/lib/spec';
import { DiffSummarySchema } from '../../../../lambdas/lib/evidence';
import { addSnapshotEntries, batchRuleChecker, processBatch, readSnapshot, stageDiff } from '../../../../lambdas/lib/worker';
import type { Transform } from '../../../../lambdas/transforms/Transform';
import { dynamoTargets, useEmulators } from '../../../support';
import { countTargetWrites } from '../../support/crash';
import { doubler } from '../../support/doubler';
import { createScenario, FIRST_BATCH_COUNTS } from '../../support/scenario';

/** The doubler with one rule that items 1–3 break (doubled below 7). */
const ruled: Transform = {
  ...(doubler as Transform),
  rules: [{ name: 'doubled-at-least-7', attribute: 'doubled', description: 'doubled is 7 or more', check: (item) => ((item.doubled as number) >= 7 ? undefined : `doubled is ${String(item.doubled)}, below 7`) }],
};
const staged = (spec: Spec): Spec => SpecSchema.parse({ ...spec, rollout: { canary: { batches: 1 }, waves: [100] } });
/** What the worker hashes: the produced items of items 1–10 before stamping, in key order. */
const expectedHash = () => {
  const hash = createHash('sha256');
  for (let n = 1; n <= 10; n++) hash.update(`${canonicalJson({ id: `item-${String(n).padStart(4, '0')}`, version: 2, doubled: 2 * n })}\n`);
  return hash.digest('hex');
};

describe.each(dynamoTargets())('the batch evidence of a staged run on %s', (target) => {
  const env = useEmulators(target);

  it('records the output hash, every rule\'s violations with samples, and the metered requests', async () => {
    // GIVEN a staged run of the scenario and a transform with a rule
    const { f, items } = await createScenario(env());
    const ctx = { ...f.ctx('attempt-a'), spec: staged(f.spec), transform: ruled };
    f.clock.advance(0);
    // WHEN its first batch runs
    const outcome = await processBatch(f.deps, ctx, items[0]!);
    // THEN the batch record carries its evidence
    expect(outcome.counts).toEqual(FIRST_BATCH_COUNTS);
    const { evidence } = (await f.batch(items[0]!.batchId))!;
    expect(evidence).toMatchObject({ outputHash: expectedHash(), ruleViolations: { 'doubled-at-least-7': 3 } });
    expect(evidence!.ruleSamples).toEqual([
      { rule: 'doubled-at-least-7', key: { id: 'item-0001' }, value: 2, message: 'doubled is 2, below 7' },
      { rule: 'doubled-at-least-7', key: { id: 'item-0002' }, value: 4, message: 'doubled is 4, below 7' },
      { rule: 'doubled-at-least-7', key: { id: 'item-0003' }, value: 6, message: 'doubled is 6, below 7' },
    ]);
    const { usage } = evidence!;
    // 8 conditional writes of small items (1 unit each) plus the ledger's claim, snapshot and lease updates
    expect(usage.dynamodbWriteUnits).toBeGreaterThanOrEqual(FIRST_BATCH_COUNTS.written);
    expect(usage.dynamodbWriteRequests).toBeGreaterThanOrEqual(FIRST_BATCH_COUNTS.written);
    expect(usage.dynamodbReadRequests).toBeGreaterThanOrEqual(1);
    expect(usage.dynamodbReadUnits).toBeGreaterThan(0);
    // the source range read; the snapshot written
    expect(usage.s3Gets).toBeGreaterThanOrEqual(1);
    expect(usage.s3Puts).toBeGreaterThanOrEqual(1);
    expect(usage.startedAtMs).toBe(f.clock.nowMs());
    expect(usage.durationMs).toBe(0);
  });

  it('records nothing of the kind on a run without rollout (unchanged behaviour)', async () => {
    const { f, items } = await createScenario(env());
    await processBatch(f.deps, { ...f.ctx('attempt-a'), transform: ruled }, items[0]!);
    expect((await f.batch(items[0]!.batchId))!.evidence).toBeUndefined();
  });

  it('leaves a shadow snapshot in a staged dry-run and writes nothing to the target', async () => {
    // GIVEN a staged dry-run
    const { f, items, before } = await createScenario(env(), { mode: 'dry-run' });
    const writes = countTargetWrites(f.targetTable);
    // WHEN its first batch runs
    await processBatch(f.depsWithHook(writes.hook), { ...f.ctx('attempt-a'), spec: staged(f.spec) }, items[0]!);
    // THEN the target is untouched, and the snapshot holds what an apply run would write
    expect(writes.count).toBe(0);
    expect(await f.dumpTarget()).toBe(before);
    const record = (await f.batch(items[0]!.batchId))!;
    expect(record.snapshot?.key).toBe(`snapshots/${f.runId}/${items[0]!.batchId}/attempt-1.jsonl`);
    const lines = (await f.readArtifact(record.snapshot!.key)).trim().split('\n').map((l) => JSON.parse(l) as { key: { id: string }; intended: unknown });
    expect(lines).toHaveLength(10);
    expect(lines.filter((l) => l.intended !== null)).toHaveLength(FIRST_BATCH_COUNTS.written);
    expect(record.evidence?.outputHash).toBe(expectedHash());
  });

  it.each(['apply', 'dry-run'] as const)('records, in %s, the batch\'s part of its stage\'s diff: what its snapshot diffs to', async (mode) => {
    // GIVEN a staged run; WHEN its first batch runs
    const { f, items } = await createScenario(env(), { mode });
    const spec = staged(f.spec);
    await processBatch(f.deps, { ...f.ctx('attempt-a'), spec }, items[0]!);
    // THEN its record carries a summary equal to the diff of its snapshot's entries
    const record = (await f.batch(items[0]!.batchId))!;
    const summary = DiffSummarySchema.parse(JSON.parse(record.evidence!.diffSummary!));
    const fromSnapshot = stageDiff(spec);
    addSnapshotEntries(fromSnapshot, await readSnapshot(f.deps.clients.s3, f.deps.artifactsBucket, { runId: f.runId, batchId: items[0]!.batchId }, record.snapshot!));
    const merged = stageDiff(spec);
    merged.merge(summary);
    expect(JSON.stringify(merged.result())).toBe(JSON.stringify(fromSnapshot.result()));
    // 10 keys: 6 created, 4 existed (1 unchanged, 1 newer in the target: both diff as unchanged)
    expect(summary).toMatchObject({ version: 1, maxSamples: 20, created: 6, updated: 4 });
    expect(summary.attributes.map((a) => a.attribute)).not.toContain('backfillRunId');
  });
});

describe('batchRuleChecker', () => {
  it('keeps a violating value short on the batch record (cut with its length), so the record stays small', () => {
    // GIVEN a rule broken by an item holding a 5,000-character value
    const transform: Transform = { ...(doubler as Transform), rules: [{ name: 'note-short', attribute: 'note', description: 'note is short', check: (item) => ((item.note as string).length < 10 ? undefined : 'note is long') }] };
    const spec = SpecSchema.parse({ jobName: 'j', source: { type: 's3-jsonl', bucket: 'src-bucket', prefix: 'p/' }, transform: 'doubler@1', target: { tableName: 'target-table', partitionKey: 'id', versionAttribute: 'version' }, rollout: { canary: { batches: 1 }, waves: [100] } });
    const rules = batchRuleChecker(transform, spec);
    // WHEN it is checked
    rules.add({ id: 'a', version: 1, note: 'x'.repeat(5000) }, {});
    // THEN the count is exact and the sample's value is cut, saying how long it was
    const { ruleViolations, ruleSamples } = rules.tally();
    expect(ruleViolations).toEqual({ 'note-short': 1 });
    expect(ruleSamples).toEqual([{ rule: 'note-short', key: { id: 'a' }, value: `${'x'.repeat(160)}… (5000 chars)`, message: 'note is long' }]);
  });
});
