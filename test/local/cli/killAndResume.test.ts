import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli, startCli, waitUntil } from './runCli';

jest.setTimeout(300_000);

const RECORDS = '3000';

describe('npm start -- --data-dir DIR, killed with SIGKILL and started again', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-cli-'));
  const specFile = join(work, 'spec.json');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(() => {
    // Long leases: the batches the killed process held must be taken over at once (its data dir lock
    // proves it gone), not after 600 s (or never: the worker's retries give up long before).
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 2, leaseSeconds: 600 }));
  });

  it('resumes the same run and ends with the same target table and checksums as a run never interrupted', async () => {
    // GIVEN an uninterrupted reference run in its own data dir
    const referenceDir = join(work, 'reference');
    const reference = await runCli(['--data-dir', referenceDir, '--records', RECORDS, '--spec', specFile, '--json']);
    expect(reference.code).toBe(0);
    const referenceReport = JSON.parse(reference.stdout);

    // WHEN a run is killed once while seeding or planning, and once in the middle of the map
    const dir = join(work, 'killed');
    const early = startCli(['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--json']);
    await waitUntil(() => existsSync(join(dir, 's3')), 'the data dir to appear', early.done);
    await new Promise((resolve) => setTimeout(resolve, 700));
    early.child.kill('SIGKILL');
    expect((await early.done).signal).toBe('SIGKILL');

    const middle = startCli(['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--json']);
    await waitUntil(() => /batches (\d+)\/\d+ \((?:[3-9]\d)%\)/.test(middle.stderrSoFar()), '30% of batches done', middle.done);
    middle.child.kill('SIGKILL');
    const middleResult = await middle.done;
    expect(middleResult.signal).toBe('SIGKILL');
    const earlyResult = await early.done;

    // AND the same command runs again
    const resumed = await runCli(['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--json']);

    // THEN it resumed the same run and its results equal the reference's
    const transcript = `early:\n${earlyResult.stderr}\nmiddle:\n${middleResult.stderr}\nresumed:\n${resumed.stderr}`;
    expect({ code: resumed.code, resumed: /resuming run/.test(resumed.stderr), transcript }).toEqual({ code: 0, resumed: true, transcript });
    const report = JSON.parse(resumed.stdout);
    expect(report.runId).toBe(referenceReport.runId);
    expect(report.starts).toBeGreaterThanOrEqual(2);
    expect(report.planHash).toBe(referenceReport.planHash);
    expect(report.targetChecksum).toBe(referenceReport.targetChecksum);
    expect(report.counts).toEqual(referenceReport.counts);
    const dumpA = await runCli(['--data-dir', referenceDir, '--dump', 'order-summaries']);
    const dumpB = await runCli(['--data-dir', dir, '--dump', 'order-summaries']);
    expect(dumpA.code).toBe(0);
    expect(dumpB.stdout).toBe(dumpA.stdout);
    expect(dumpA.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(2_900);

    // AND running it once more only shows the finished run's report
    const again = await runCli(['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already SUCCEEDED/);
    expect(JSON.parse(again.stdout).targetChecksum).toBe(referenceReport.targetChecksum);
  });
});
