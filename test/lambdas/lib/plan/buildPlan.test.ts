import { createHash } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { artifactPrefix, manifestKey, stageManifestKey } from '../../../../lambdas/lib/artifacts';
import { localS3ClientConfig } from '../../../../local/aws';
import { getRun, PlanChangedError, startOrResumeRun } from '../../../../lambdas/lib/ledger';
import {
  buildPlan,
  EmptyPlanError,
  listSourceObjects,
  ManifestItemSchema,
  SourceBucketAccessDeniedError,
  SourceBucketNotFoundError,
  type ManifestItem,
  type PlanResult,
} from '../../../../lambdas/lib/plan';
import { specHash, type Spec, type SpecInput } from '../../../../lambdas/lib/spec';
import { createTestStore, dynamoTargets, uniqueName, useEmulators, type TestStore } from '../../../support';
import { specFor } from '../../fixtures/specs';

const record = (id: string) => `{"orderId":"${id}","version":1}`;

/** Partitioned source objects, written out of key order; the ones outside 2024-01-02..2024-01-03 or without dt= carry "x". */
const SOURCE: Record<string, string> = {
  'orders/dt=2024-01-03/part-1.jsonl': [record('c1'), '', record('c2'), record('c3')].join('\n'), // no final newline
  'orders/dt=2024-01-02/part-0.jsonl': [record('a1'), record('a2'), record('a3'), ''].join('\r\n'),
  'orders/dt=2024-01-03/part-0.jsonl': `${record('b1')}\n\n${record('b2')}\n`,
  'orders/dt=2024-01-01/part-0.jsonl': `${record('x-before')}\n`,
  'orders/dt=2024-01-04/part-0.jsonl': `${record('x-after')}\n`,
  'orders/manual-upload.jsonl': `${record('x-no-partition')}\n`,
  'orders/dt=2024-01-02/empty.jsonl': '',
  'orders-archive/dt=2024-01-02/part-0.jsonl': `${record('x-other-prefix')}\n`,
};
const IN_RANGE = ['orders/dt=2024-01-02/part-0.jsonl', 'orders/dt=2024-01-03/part-0.jsonl', 'orders/dt=2024-01-03/part-1.jsonl'];

describe.each(dynamoTargets())('buildPlan on %s', (target) => {
  const env = useEmulators(target);
  let emulators: TestStore;
  let sourceBucket: string;

  beforeAll(async () => {
    emulators = await createTestStore(env());
    sourceBucket = await emulators.createBucket(uniqueName('source'));
    for (const [key, body] of Object.entries(SOURCE)) await emulators.putText(sourceBucket, key, body);
  });

  const spec = (overrides: Partial<SpecInput> = {}, bucket = sourceBucket): Spec =>
    specFor(bucket, 'orders/', { batchSize: 2, ...overrides, source: { type: 's3-jsonl', bucket, prefix: 'orders/', ...overrides.source } });
  const partitioned = (overrides: Partial<SpecInput> = {}) => spec({ ...overrides, source: { type: 's3-jsonl', bucket: sourceBucket, partitions: { from: '2024-01-02', to: '2024-01-03' } } });

  /** Starts a fresh run for the spec and plans it. */
  async function planNewRun(s: Spec): Promise<{ runId: string; plan: PlanResult; manifest: string }> {
    const runId = uniqueName('run');
    await startOrResumeRun(emulators.deps, { runId, spec: s, specHash: specHash(s) });
    const plan = await buildPlan(emulators.deps, runId, s);
    return { runId, plan, manifest: await emulators.getText(plan.manifestBucket, plan.manifestKey) };
  }

  const itemsOf = (manifest: string): ManifestItem[] =>
    manifest
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => ManifestItemSchema.parse(JSON.parse(l)));

  it('writes a manifest of sorted, consecutive batches whose sha256 is the pinned planHash', async () => {
    // WHEN a partitioned source is planned in batches of 2
    const { runId, plan, manifest } = await planNewRun(partitioned());
    const items = itemsOf(manifest);
    // THEN the manifest lists the in-range objects in key order, cut into batches b0000000..
    expect(items.map((i) => [i.batchId, i.key, i.firstLine, i.records])).toEqual([
      ['b0000000', IN_RANGE[0], 1, 2],
      ['b0000001', IN_RANGE[0], 3, 1],
      ['b0000002', IN_RANGE[1], 1, 2],
      ['b0000003', IN_RANGE[2], 1, 2],
      ['b0000004', IN_RANGE[2], 4, 1],
    ]);
    expect(manifest.endsWith('\n')).toBe(true);
    // AND its hash, counts and key are what the run pinned and the step returns
    const planHash = createHash('sha256').update(manifest).digest('hex');
    expect(plan).toEqual({
      manifestBucket: emulators.deps.artifactsBucket,
      manifestKey: manifestKey({ runId, planHash: plan.planHash }),
      planHash,
      batchCount: 5,
      recordCount: 8,
      objectCount: 3,
    });
    expect(plan.manifestKey).toBe(`manifests/${runId}/${plan.planHash}.jsonl`);
    const run = await getRun(emulators.deps, runId);
    expect(run).toMatchObject({ planHash, manifestKey: plan.manifestKey, batchCount: 5, recordCount: 8 });
    // AND each item carries its object's current ETag
    for (const item of items) {
      const head = await emulators.clients.s3.send(new HeadObjectCommand({ Bucket: sourceBucket, Key: item.key }));
      expect(item.etag).toBe(head.ETag);
    }
  });

  it('with a rollout, writes each stage\'s slice of the manifest and returns the stages', async () => {
    // GIVEN 5 batches, a canary of 1 batch and waves [60, 100]
    const { runId, plan, manifest } = await planNewRun(partitioned({ rollout: { canary: { batches: 1 }, waves: [60, 100] } }));
    // THEN the plan is the one without a rollout, plus its stages
    const lines = manifest.split('\n').filter((l) => l !== '');
    expect(plan.stages?.map((s) => [s.name, s.firstBatch, s.batchCount, s.manifestKey])).toEqual([
      ['canary', 0, 1, stageManifestKey({ runId, planHash: plan.planHash, stageName: 'canary' })],
      ['wave-1', 1, 2, stageManifestKey({ runId, planHash: plan.planHash, stageName: 'wave-1' })],
      ['wave-2', 3, 2, stageManifestKey({ runId, planHash: plan.planHash, stageName: 'wave-2' })],
    ]);
    expect(plan.planHash).toBe((await planNewRun(partitioned())).plan.planHash);
    // AND each stage's manifest holds exactly its slice of the plan's lines, the largest batch first (ties in plan order)
    const records = (line: string) => (JSON.parse(line) as { records: number }).records;
    for (const stage of plan.stages ?? []) {
      const slice = lines.slice(stage.firstBatch, stage.firstBatch + stage.batchCount);
      const largestFirst = slice.map((line, i) => ({ line, i })).sort((a, b) => records(b.line) - records(a.line) || a.i - b.i).map((x) => x.line);
      expect(await emulators.getText(plan.manifestBucket, stage.manifestKey)).toBe(`${largestFirst.join('\n')}\n`);
    }
    // (wave-2's two batches differ in size: the larger, planned last, comes first)
    const wave2 = (await emulators.getText(plan.manifestBucket, plan.stages![2]!.manifestKey)).trim().split('\n').map(records);
    expect(wave2).toEqual([2, 1]);
  });

  it('without a rollout, returns no stages and writes no stage manifest', async () => {
    const { runId, plan } = await planNewRun(partitioned());
    expect(plan).not.toHaveProperty('stages');
    const { Contents } = await emulators.clients.s3.send(new ListObjectsV2Command({ Bucket: emulators.deps.artifactsBucket, Prefix: `manifests/${runId}/` }));
    expect((Contents ?? []).map((c) => c.Key)).toEqual([plan.manifestKey]);
  });

  it('is deterministic: the same source plans to identical bytes and hash for two runs', async () => {
    const first = await planNewRun(partitioned());
    const second = await planNewRun(partitioned());
    expect(second.runId).not.toBe(first.runId);
    expect(second.manifest).toBe(first.manifest);
    expect(second.plan.planHash).toBe(first.plan.planHash);
  });

  it('plans differently when the batch size differs', async () => {
    const two = await planNewRun(partitioned({ batchSize: 2 }));
    const three = await planNewRun(partitioned({ batchSize: 3 }));
    expect(three.plan.planHash).not.toBe(two.plan.planHash);
    expect(three.plan.recordCount).toBe(two.plan.recordCount);
    expect(itemsOf(three.manifest).map((i) => i.records)).toEqual([3, 2, 3]);
  });

  it('gives byte ranges that, read back with GetObject Range, hold exactly the planned records', async () => {
    const { plan, manifest } = await planNewRun(partitioned());
    let total = 0;
    for (const item of itemsOf(manifest)) {
      // WHEN the worker's read of the range is repeated
      const text = await emulators.getText(item.bucket, item.key, `bytes=${item.byteStart}-${item.byteEnd}`);
      const lines = text.split('\n');
      const records = lines.filter((l) => l.trim() !== '');
      // THEN it holds `records` records, starting at `firstLine` of the whole object
      expect(records).toHaveLength(item.records);
      const whole = SOURCE[item.key]!.split('\n');
      expect(lines[0]).toBe(whole[item.firstLine - 1]);
      total += records.length;
    }
    expect(total).toBe(plan.recordCount);
    expect(total).toBe(8);
  });

  it('keeps only dt= partitions within the range (inclusive) and drops keys without dt=', async () => {
    const { objects } = await listSourceObjects(emulators.clients.s3, partitioned().source);
    expect(objects.map((o) => o.key)).toEqual(IN_RANGE);
  });

  it('without a partition range, plans every non-empty object under the prefix, in key order', async () => {
    const { manifest, plan } = await planNewRun(spec());
    const keys = [...new Set(itemsOf(manifest).map((i) => i.key))];
    const expected = Object.keys(SOURCE)
      .filter((k) => k.startsWith('orders/') && SOURCE[k] !== '')
      .sort();
    expect(keys).toEqual(expected);
    expect(plan.objectCount).toBe(expected.length);
  });

  it('sorts keys across partitions and objects whatever order they were written in', async () => {
    // GIVEN objects written in reverse order across three partitions
    const bucket = await emulators.createBucket(uniqueName('sorted'));
    const keys = ['orders/dt=2024-02-10/b.jsonl', 'orders/dt=2024-02-10/a.jsonl', 'orders/dt=2024-02-09/z.jsonl', 'orders/dt=2024-01-31/part-10.jsonl', 'orders/dt=2024-01-31/part-09.jsonl'];
    for (const key of keys) await emulators.putText(bucket, key, `${record(key)}\n`);
    // WHEN planned
    const { manifest } = await planNewRun(spec({ batchSize: 5 }, bucket));
    // THEN batches follow key order
    expect(itemsOf(manifest).map((i) => i.key)).toEqual([...keys].sort());
  });

  it('with "allowEmpty": true, plans an empty source to zero batches and an empty manifest', async () => {
    const bucket = await emulators.createBucket(uniqueName('empty'));
    const { runId, plan, manifest } = await planNewRun(spec({ allowEmpty: true }, bucket));
    expect(manifest).toBe('');
    expect(plan).toMatchObject({ batchCount: 0, recordCount: 0, objectCount: 0, planHash: createHash('sha256').update('').digest('hex') });
    expect((await getRun(emulators.deps, runId))?.planHash).toBe(plan.planHash);
  });

  describe('refuses a plan with nothing to process (EmptyPlanError), naming bucket, prefix, range and what it found', () => {
    /** Starts a run and plans it; returns the refusal, after checking that nothing was pinned or written. */
    async function refusalOf(s: Spec): Promise<Error> {
      const runId = uniqueName('run');
      await startOrResumeRun(emulators.deps, { runId, spec: s, specHash: specHash(s) });
      const error = await buildPlan(emulators.deps, runId, s).then(() => new Error('planned'), (e: unknown) => e as Error);
      expect((await getRun(emulators.deps, runId))?.planHash).toBeUndefined();
      const written = await emulators.clients.s3.send(new ListObjectsV2Command({ Bucket: emulators.deps.artifactsBucket, Prefix: `${artifactPrefix('manifests')}${runId}/` }));
      expect(written.KeyCount ?? 0).toBe(0);
      return error;
    }

    it('an empty bucket: 0 objects under the prefix', async () => {
      const bucket = await emulators.createBucket(uniqueName('empty'));
      const error = await refusalOf(spec({}, bucket));
      expect(error).toBeInstanceOf(EmptyPlanError);
      expect(error.message).toContain(`s3://${bucket}/orders/ (no partition range) has 0 objects under the prefix`);
      expect(error.message).toContain('set "allowEmpty": true');
    });

    it.each(['../', 'order/', 'orders/dt=2023'])('a prefix that matches nothing (%s)', async (prefix) => {
      const error = await refusalOf(spec({ source: { type: 's3-jsonl', bucket: sourceBucket, prefix } }));
      expect(error).toBeInstanceOf(EmptyPlanError);
      expect(error.message).toContain(`s3://${sourceBucket}/${prefix} (no partition range) has 0 objects under the prefix`);
    });

    it('a partition range that matches nothing: N objects under the prefix, none in range', async () => {
      const error = await refusalOf(spec({ source: { type: 's3-jsonl', bucket: sourceBucket, prefix: 'orders/', partitions: { from: '2026-01-01', to: '2026-01-31' } } }));
      expect(error).toBeInstanceOf(EmptyPlanError);
      expect(error.message).toContain(`s3://${sourceBucket}/orders/ (partitions 2026-01-01..2026-01-31) has 7 objects under the prefix, none in range 2026-01-01..2026-01-31`);
      expect((error as EmptyPlanError).found).toEqual({ underPrefix: 7, inRange: 0, empty: 0, records: 0 });
    });

    it('objects that hold no record: N objects, 0 records', async () => {
      const bucket = await emulators.createBucket(uniqueName('blank'));
      await emulators.putText(bucket, 'orders/empty.jsonl', '');
      await emulators.putText(bucket, 'orders/blank.jsonl', '\n  \n\r\n');
      const error = await refusalOf(spec({}, bucket));
      expect(error).toBeInstanceOf(EmptyPlanError);
      expect(error.message).toContain('has 2 objects (1 empty), 0 records');
    });
  });

  it('refuses a source bucket that does not exist with SourceBucketNotFoundError, saying what to do', async () => {
    const bucket = uniqueName('missing');
    const runId = uniqueName('run');
    const s = spec({}, bucket);
    await startOrResumeRun(emulators.deps, { runId, spec: s, specHash: specHash(s) });
    const error = await buildPlan(emulators.deps, runId, s).then(() => new Error('planned'), (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(SourceBucketNotFoundError);
    expect(error.message).toBe(`Run ${runId}: source bucket "${bucket}" does not exist (S3 NoSuchBucket); check spec.source.bucket for a typo, or create the bucket and upload the source objects`);
  });

  it('refuses a source bucket S3 will not let it read (403) with SourceBucketAccessDeniedError, saying what to grant', async () => {
    // GIVEN an S3 client whose credentials the server refuses
    const endpoint = await emulators.clients.s3.config.endpoint!();
    const s3 = new S3Client({ ...localS3ClientConfig(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`), credentials: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'nope' } });
    const runId = uniqueName('run');
    const s = partitioned();
    await startOrResumeRun(emulators.deps, { runId, spec: s, specHash: specHash(s) });
    try {
      // WHEN the run is planned with it
      const error = await buildPlan({ ...emulators.deps, clients: { ...emulators.clients, s3 } }, runId, s).then(() => new Error('planned'), (e: unknown) => e as Error);
      // THEN the refusal names the bucket, S3's error and the grants to check
      expect(error).toBeInstanceOf(SourceBucketAccessDeniedError);
      expect(error.message).toMatch(new RegExp(`source bucket "${sourceBucket}" cannot be read \\(S3 InvalidAccessKeyId: .*\\); grant the Plan and Worker functions s3:ListBucket and s3:GetObject`));
    } finally {
      s3.destroy();
    }
  });

  it('re-plans a resumed run with an unchanged source to the same pinned plan', async () => {
    const s = partitioned();
    const { runId, plan } = await planNewRun(s);
    await startOrResumeRun(emulators.deps, { runId, spec: s, specHash: specHash(s) });
    await expect(buildPlan(emulators.deps, runId, s)).resolves.toEqual(plan);
  });

  describe('when the source changed before a resume', () => {
    const changes: Array<[string, (bucket: string) => Promise<void>]> = [
      ['an object is rewritten', (bucket) => emulators.putText(bucket, 'orders/dt=2024-01-02/part-0.jsonl', `${record('a1')}\n${record('a2-changed')}\n`)],
      ['an object is added', (bucket) => emulators.putText(bucket, 'orders/dt=2024-01-02/part-2.jsonl', `${record('late')}\n`)],
    ];

    it.each(changes)('refuses with PlanChangedError when %s, and leaves the pinned manifest untouched', async (_case, change) => {
      // GIVEN a planned run over its own copy of the source
      const bucket = await emulators.createBucket(uniqueName('changing'));
      for (const key of IN_RANGE) await emulators.putText(bucket, key, SOURCE[key]!);
      const s = spec({ source: { type: 's3-jsonl', bucket, partitions: { from: '2024-01-02', to: '2024-01-03' } } }, bucket);
      const { runId, plan, manifest } = await planNewRun(s);
      // WHEN the source changes and the run is resumed and planned again
      await change(bucket);
      await startOrResumeRun(emulators.deps, { runId, spec: s, specHash: specHash(s) });
      const replanned = buildPlan(emulators.deps, runId, s);
      // THEN the plan is refused, naming the run
      await expect(replanned).rejects.toBeInstanceOf(PlanChangedError);
      await expect(replanned).rejects.toThrow(runId);
      // AND the pinned manifest and the pin are exactly as before
      expect(await emulators.getText(plan.manifestBucket, plan.manifestKey)).toBe(manifest);
      expect((await getRun(emulators.deps, runId))?.planHash).toBe(plan.planHash);
    });
  });
});
