import { PutObjectCommand } from '@aws-sdk/client-s3';
import { startOrResumeRun } from '../../../../lambdas/lib/ledger';
import { buildPlan, ManifestItemSchema, type ManifestItem } from '../../../../lambdas/lib/plan';
import { SpecSchema, specHash, type Spec } from '../../../../lambdas/lib/spec';
import { quarantineKey } from '../../../../lambdas/lib/artifacts';
import { processBatch } from '../../../../lambdas/lib/worker';
import { sourceLine } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type Fixture } from '../../support/fixture';

interface Quarantined {
  readonly line: number;
  readonly reason: string;
  readonly raw: string;
}

/** Uploads `body` as the fixture's source object and plans it under `spec`. */
async function planBytes(f: Fixture, spec: Spec, body: Buffer): Promise<ManifestItem[]> {
  await f.deps.clients.s3.send(new PutObjectCommand({ Bucket: f.sourceBucket, Key: 'records/part-0001.jsonl', Body: body, ContentLength: body.length }));
  await startOrResumeRun(f.deps, { runId: f.runId, spec, specHash: specHash(spec) });
  const plan = await buildPlan(f.deps, f.runId, spec);
  return (await f.readArtifact(plan.manifestKey))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ManifestItemSchema.parse(JSON.parse(line)));
}

const quarantineOf = async (f: Fixture, batchId: string): Promise<Quarantined[]> =>
  (await f.readArtifact(quarantineKey({ runId: f.runId, batchId: batchId })))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Quarantined);

/** Invariant 8 at the byte level: a line is taken as it is or quarantined, never rewritten; a batch's memory is bounded by bytes. */
describe.each(dynamoTargets())('source bytes on %s', (target) => {
  const env = useEmulators(target);

  it('quarantines a line that is not UTF-8, naming the offset of the bad byte, and processes the other lines', async () => {
    // GIVEN a line whose string holds the bytes \xff\xfe (which a lenient decoder turns into U+FFFD), between good ones
    const f = await createFixture(env(), { batchSize: 10 });
    const prefix = '{"id":"item-';
    const bad = Buffer.concat([Buffer.from(prefix), Buffer.from([0xff, 0xfe]), Buffer.from('","version":1,"n":2}')]);
    const body = Buffer.concat([Buffer.from(`${sourceLine('item-0001', 1, 1)}\n`), bad, Buffer.from(`\n\n${sourceLine('item-0004', 1, 4)}\n`)]);
    const [item] = await planBytes(f, f.spec, body);

    // WHEN its batch runs
    const outcome = await processBatch(f.deps, f.ctx('attempt-a'), item!);

    // THEN the bad line is malformed, with its line number and the offset of its first bad byte, and the others are written
    expect(outcome.counts).toMatchObject({ read: 3, malformed: 1, produced: 2, written: 2 });
    expect(await quarantineOf(f, item!.batchId)).toEqual([{ source: expect.any(String), line: 2, reason: `not valid UTF-8 at byte offset ${prefix.length} of the line (0xff); fix the encoding of the source (it must be UTF-8)`, raw: expect.stringContaining('\uFFFD') }]);
    expect((await f.dumpTarget()).match(/"id":"[^"]*"/g)).toEqual(['"id":"item-0001"', '"id":"item-0004"']);
    expect(await f.getTarget('item-0004')).toMatchObject({ doubled: 8 });
  });

  it('cuts a source of many large lines into batches of at most maxBatchBytes, and quarantines a line over maxRecordBytes without decoding it', async () => {
    // GIVEN lines of ~200 bytes, one of 3,000 bytes, and limits of 1,024 bytes per batch and 500 per record
    const f = await createFixture(env(), { batchSize: 100 });
    const spec = SpecSchema.parse({ ...f.spec, maxBatchBytes: 1_024, maxRecordBytes: 500 });
    // (padded with spaces inside the JSON, so each is a valid doubler record)
    const padded = (id: string, n: number, pad: number) => `{"id":"${id}","version":1,"n":${n}${' '.repeat(pad)}}`;
    const lines = Array.from({ length: 12 }, (_, i) => (i === 6 ? padded('item-huge', 0, 3_000) : padded(`item-${String(i + 1).padStart(4, '0')}`, i + 1, 160)));
    const items = await planBytes(f, spec, Buffer.from(lines.map((l) => `${l}\n`).join('')));

    // THEN the plan has several batches, none holding two records over 1,024 bytes, the huge line in one of its own
    expect(items.length).toBeGreaterThanOrEqual(4);
    for (const item of items) if (item.records > 1) expect(item.byteEnd - item.byteStart + 1).toBeLessThanOrEqual(1_024);
    const huge = items.find((item) => item.firstLine === 7)!;
    expect(huge).toMatchObject({ records: 1 });
    expect(items.reduce((sum, item) => sum + item.records, 0)).toBe(12);

    // WHEN every batch runs
    const ctx = { ...f.ctx('attempt-a'), spec };
    const outcomes = [];
    for (const item of items) outcomes.push(await processBatch(f.deps, ctx, item));

    // THEN the huge line is quarantined for its size, naming it and the limit, and every other line is written
    expect(outcomes.reduce((sum, o) => sum + o.counts.read, 0)).toBe(12);
    expect(outcomes.reduce((sum, o) => sum + o.counts.written, 0)).toBe(11);
    expect(outcomes.find((o) => o.batchId === huge.batchId)!.counts).toMatchObject({ read: 1, malformed: 1, produced: 0 });
    expect(await f.getTarget('item-huge')).toBeUndefined();
    const [entry] = await quarantineOf(f, huge.batchId);
    expect(entry).toMatchObject({ line: 7, reason: expect.stringMatching(/^line is 3\d{3} bytes, longer than maxRecordBytes 500/) });
    expect(entry!.raw.length).toBeLessThanOrEqual(1024);
  });
});
