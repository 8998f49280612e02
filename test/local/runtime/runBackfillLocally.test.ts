import { getRun, listBatches } from '../../../lambdas/lib/ledger';
import { exampleSpec, reportOf, run, targetDump, useSeededEnvironments } from './localRun';

jest.setTimeout(400_000);

describe('a local backfill through statemachines/backfill.asl.json', () => {
  const seeded = useSeededEnvironments();

  it('applies the fixed transform: counts match what the demo dataset planted, and the report reconciles', async () => {
    // GIVEN the demo dataset (v1 items, live updates, missing items, malformed lines)
    const { env, expected } = await seeded(2_000);
    // WHEN the example spec runs
    const outcome = await run(env, exampleSpec(), 'counts-run');
    // THEN every planted case is handled as designed
    expect(outcome.status).toBe('SUCCEEDED');
    const report = reportOf(outcome);
    expect(report.counts).toMatchObject({
      read: 2_000,
      created: expected.created,
      written: expected.created + expected.updated,
      unchanged: expected.unchanged,
      skippedNewer: expected.skippedNewer,
    });
    expect(report.counts.malformed).toBeGreaterThanOrEqual(2);
    expect((await getRun(env.deps, 'counts-run'))?.status).toBe('SUCCEEDED');
  });

  it('is deterministic: two fresh runs of the same spec and source give the same planHash, checksums and target', async () => {
    const a = await seeded(1_500);
    const b = await seeded(1_500);
    const [ra, rb] = [await run(a.env, exampleSpec(), 'same-run'), await run(b.env, exampleSpec(), 'same-run')];
    expect(reportOf(ra).planHash).toBe(reportOf(rb).planHash);
    expect(reportOf(ra).targetChecksum).toBe(reportOf(rb).targetChecksum);
    const batchesA = (await listBatches(a.env.deps, 'same-run')).map((x) => x.checksum);
    const batchesB = (await listBatches(b.env.deps, 'same-run')).map((x) => x.checksum);
    expect(batchesA).toEqual(batchesB);
    expect(await targetDump(a.env)).toBe(await targetDump(b.env));
  });

  it('resumes after an interruption after k of n batches and ends identical to an uninterrupted run', async () => {
    // GIVEN an uninterrupted reference run
    const reference = await seeded(3_000);
    const referenceReport = reportOf(await run(reference.env, exampleSpec({ maxConcurrency: 2, batchSize: 100 }), 'resume-run'));
    // AND a run stopped after 5 batches
    const { env } = await seeded(3_000);
    const stop = new AbortController();
    let done = 0;
    const first = await run(env, exampleSpec({ maxConcurrency: 2, batchSize: 100 }), 'resume-run', stop.signal, () => {
      done += 1;
      if (done === 5) stop.abort();
    });
    expect(first.status).toBe('ABORTED');
    const doneBefore = (await listBatches(env.deps, 'resume-run')).filter((b) => b.status === 'DONE').length;
    expect(doneBefore).toBeGreaterThanOrEqual(5);
    expect(doneBefore).toBeLessThan(referenceReport.batches.planned);
    // WHEN the same run is started again
    const second = await run(env, exampleSpec({ maxConcurrency: 2, batchSize: 100 }), 'resume-run');
    // THEN it skips the DONE batches and ends with the same target and checksums
    expect(second.status).toBe('SUCCEEDED');
    const report = reportOf(second);
    expect(report.starts).toBe(2);
    expect(report.targetChecksum).toBe(referenceReport.targetChecksum);
    expect(report.counts).toEqual(referenceReport.counts);
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
  });

  it('a finished run started again with its spec ends at once with its recorded report (alreadyFinished), planning and writing nothing', async () => {
    // GIVEN a run that succeeded
    const { env } = await seeded(500);
    const first = await run(env, exampleSpec(), 'finished-run');
    expect(first.status).toBe('SUCCEEDED');
    const record = await getRun(env.deps, 'finished-run');
    const target = await targetDump(env);
    // WHEN the same run is started again with the same spec
    const again = await run(env, exampleSpec(), 'finished-run');
    // THEN the execution succeeds at once with the recorded report, flagged, and no map ran
    expect(again.status).toBe('SUCCEEDED');
    expect(again.output).toEqual({ ...reportOf(first), alreadyFinished: true });
    expect(again.stats.childExecutions.EXPRESS.started).toBe(0);
    // AND the run record and the target are untouched
    expect(await getRun(env.deps, 'finished-run')).toEqual(record);
    expect(await targetDump(env)).toBe(target);
  });

  it('refuses a finished run started again with another spec (RunSpecMismatchError), changing nothing', async () => {
    const { env } = await seeded(300);
    expect((await run(env, exampleSpec(), 'pinned-run')).status).toBe('SUCCEEDED');
    const record = await getRun(env.deps, 'pinned-run');

    const other = await run(env, exampleSpec({ batchSize: 77 }), 'pinned-run');

    expect(other.status).toBe('FAILED');
    expect(other.error).toBe('RunSpecMismatchError');
    expect(other.cause).toMatch(/Run pinned-run was started with spec [0-9a-f]{12}, not [0-9a-f]{12}/);
    expect(await getRun(env.deps, 'pinned-run')).toEqual(record);
  });

  describe('fails a run whose source holds nothing to process, naming the error on the execution and the run record', () => {
    const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
      ['a prefix that matches nothing', { prefix: '../' }, 'EmptyPlanError', /has 0 objects under the prefix\. Check spec\.source\.bucket, prefix and partitions; .*"allowEmpty": true/],
      ['a date range that matches nothing', { partitions: { from: '2026-01-01', to: '2026-01-31' } }, 'EmptyPlanError', /objects under the prefix, none in range 2026-01-01\.\.2026-01-31/],
      ['a bucket that does not exist', { bucket: 'no-such-source-bucket' }, 'SourceBucketNotFoundError', /source bucket "no-such-source-bucket" does not exist \(S3 NoSuchBucket\)/],
    ];

    it.each(cases)('%s', async (_case, source, errorName, cause) => {
      // GIVEN the demo source, and a spec whose source matches nothing
      const { env } = await seeded(100);
      const before = await targetDump(env);
      const spec = exampleSpec();
      const runId = `empty-${errorName}-${Object.keys(source)[0]}`;
      // WHEN it runs
      const outcome = await run(env, { ...spec, source: { ...(spec.source as Record<string, unknown>), ...source } }, runId);
      // THEN the execution fails with the error's name and message, not SUCCEEDED with 0 batches
      expect(outcome.status).toBe('FAILED');
      expect(outcome.error).toBe(errorName);
      expect(outcome.cause).toMatch(cause);
      // AND the run record says the same; nothing was written
      expect(await getRun(env.deps, runId)).toMatchObject({ status: 'FAILED', error: { Error: errorName } });
      expect((await getRun(env.deps, runId))?.error?.Cause).toMatch(cause);
      expect(await targetDump(env)).toBe(before);
    });

    it('succeeds with 0 batches when the spec says "allowEmpty": true', async () => {
      const { env } = await seeded(100);
      const spec = exampleSpec({ allowEmpty: true });
      const outcome = await run(env, { ...spec, source: { ...(spec.source as Record<string, unknown>), prefix: '../' } }, 'empty-allowed');
      expect(outcome.status).toBe('SUCCEEDED');
      expect(reportOf(outcome)).toMatchObject({ status: 'SUCCEEDED', records: 0, batches: { planned: 0 } });
    });
  });

  it('dry-run counts what would change and leaves the target untouched', async () => {
    const { env, expected } = await seeded(1_000);
    const before = await targetDump(env);
    const outcome = await run(env, exampleSpec({ mode: 'dry-run' }), 'dry');
    expect(outcome.status).toBe('SUCCEEDED');
    expect(reportOf(outcome).counts.written).toBe(expected.created + expected.updated);
    expect(await targetDump(env)).toBe(before);
  });

  it('fails the run with MalformedThresholdExceededError when malformed records exceed the threshold', async () => {
    const { env } = await seeded(1_000);
    const outcome = await run(env, exampleSpec({ maxMalformedPercent: 0 }), 'too-malformed');
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('MalformedThresholdExceededError');
    expect(outcome.cause).toMatch(/maxMalformedPercent 0/);
    const record = await getRun(env.deps, 'too-malformed');
    expect(record?.status).toBe('FAILED');
    expect(record?.error?.Error).toBe('MalformedThresholdExceededError');
  });

  it('fails an invalid spec at the first state, naming every bad field, and writes nothing', async () => {
    const { env } = await seeded(100);
    const before = await targetDump(env);
    const outcome = await run(env, exampleSpec({ batchSize: 0, mode: 'fast', transform: 'order-summary@9' }), 'bad-spec');
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('InvalidSpecError');
    expect(outcome.cause).toMatch(/spec\.batchSize/);
    expect(outcome.cause).toMatch(/spec\.mode/);
    expect(await getRun(env.deps, 'bad-spec')).toBeUndefined();
    expect(await targetDump(env)).toBe(before);
  });

  it('keeps every state payload bounded: the largest is the same size at 2,000 and 20,000 records', async () => {
    const small = await seeded(2_000);
    const large = await seeded(20_000);
    const spec = exampleSpec({ maxConcurrency: 8 });
    const [s, l] = [await run(small.env, spec, 'payload'), await run(large.env, spec, 'payload')];
    // (status with error and cause, so a failure says why)
    expect([s, l].map(({ status, error, cause }) => ({ status, error, cause }))).toEqual([{ status: 'SUCCEEDED' }, { status: 'SUCCEEDED' }].map((o) => ({ ...o, error: undefined, cause: undefined })));
    // Counts grow by a digit or two; nothing grows with the number of records or batches.
    expect(l.stats.maxPayloadBytes).toBeLessThan(s.stats.maxPayloadBytes * 1.05);
    expect(l.stats.maxPayloadBytes).toBeLessThan(8 * 1024);
    process.stdout.write(`max state payload: ${s.stats.maxPayloadBytes} B at 2,000 records, ${l.stats.maxPayloadBytes} B at 20,000 records\n`);
  });
});
