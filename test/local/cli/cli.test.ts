import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli } from './runCli';

jest.setTimeout(120_000);

describe('the local CLI (npm start)', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-cli-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('refuses an invalid spec, naming every bad field, exits 2 and writes nothing', async () => {
    const specFile = join(work, 'bad.json');
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: -1, source: { type: 's3-jsonl', bucket: 'a..b' }, target: { tableName: 'x' }, surprise: true }));
    const dataDir = join(work, 'never');
    const result = await runCli(['--data-dir', dataDir, '--spec', specFile]);
    expect(result.code).toBe(2);
    for (const field of ['spec.batchSize', 'spec.source.bucket', 'spec.target.tableName', 'spec.target.partitionKey', 'spec.surprise']) expect(result.stderr).toContain(field);
    expect(result.stderr).toContain('spec.source.bucket: must not contain two adjacent periods');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a spec file that is not JSON, and an unknown option, with exit code 2', async () => {
    const specFile = join(work, 'not-json.json');
    writeFileSync(specFile, '{ nope');
    expect((await runCli(['--spec', specFile])).stderr).toMatch(/not valid JSON/);
    const unknown = await runCli(['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/frobnicate/);
  });

  it('refuses a spec file with a key given twice (exit 2), naming the path and both values, and writes nothing', async () => {
    // GIVEN the example spec with "mode" given twice, the last one "apply"
    const specFile = join(work, 'duplicate-mode.json');
    const text = JSON.stringify({ ...EXAMPLE_SPEC, mode: 'dry-run' }).replace(/}$/, ',"mode":"apply"}');
    writeFileSync(specFile, text);
    const dataDir = join(work, 'never-duplicate');
    // WHEN it is run
    const result = await runCli(['--data-dir', dataDir, '--spec', specFile]);
    // THEN it is refused as an invalid spec before anything starts
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('spec.mode: is given twice in one object: first "dry-run", then "apply"; keep one');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a binary spec file (exit 2) with the offset of its first bad byte, echoing none of it', async () => {
    const specFile = join(work, 'binary.json');
    writeFileSync(specFile, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a]));
    const result = await runCli(['--spec', specFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: the spec file ${specFile} is not a UTF-8 JSON text, first bad byte at offset 6 (0xff)\n`);
  });

  it('--seed-only seeds and exits; --dump prints the table as sorted JSONL; --json prints one report object', async () => {
    const dataDir = join(work, 'data');
    const seed = await runCli(['--data-dir', dataDir, '--records', '500', '--seed-only', '--json']);
    expect(seed.code).toBe(0);
    expect(JSON.parse(seed.stdout).records).toBe(500);
    const dump = await runCli(['--data-dir', dataDir, '--dump', 'order-summaries']);
    const lines = dump.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(450);
    expect([...lines].sort()).toEqual(lines);
    const run = await runCli(['--data-dir', dataDir, '--records', '500', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ status: 'SUCCEEDED', records: 500 });
    for (const field of ['runId', 'planHash', 'targetChecksum', 'elapsedMs', 'recordsPerSecond', 'maxStatePayloadBytes', 'counts']) expect(report).toHaveProperty(field);
  });

  it('says a finished run started again has nothing to do (exit 0), and refuses its runId with another spec (exit 1)', async () => {
    // GIVEN a run that succeeded in a data dir
    const dataDir = join(work, 'finished');
    const first = await runCli(['--data-dir', dataDir, '--records', '300', '--json']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { runId: string; status: string; finishedAt: string; targetChecksum: string };
    // WHEN the same command runs again
    const again = await runCli(['--data-dir', dataDir, '--records', '300']);
    // THEN it says the run already finished, when, and prints its recorded report without timings of its own
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Run ${report.runId} already SUCCEEDED at ${report.finishedAt}; nothing to do (its report follows)`);
    expect(again.stdout).toContain(`target checksum  ${report.targetChecksum}`);
    expect(again.stdout).not.toMatch(/elapsed|records\/s/);
    // WHEN the same runId is given another spec
    const specFile = join(work, 'other-batch-size.json');
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 123 }));
    const other = await runCli(['--data-dir', dataDir, '--records', '300', '--spec', specFile, '--run-id', report.runId]);
    // THEN it is refused, naming the error, and not called a failure (the run is still SUCCEEDED)
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(new RegExp(`Run ${report.runId} was refused \\(RunSpecMismatchError\\): Run ${report.runId} was started with spec`));
    expect(other.stderr).not.toMatch(/FAILED|resuming run/);
    // AND it says nothing was done, not that the same command would resume it
    expect(other.stderr).toContain('The run (still SUCCEEDED) and the target are unchanged.');
    expect(other.stderr).not.toContain('it resumes this run');
  });

  it('a rolled-back run started again is refused without first saying it resumes', async () => {
    // GIVEN a run that was rolled back
    const dataDir = join(work, 'rolled-back');
    const run = await runCli(['--data-dir', dataDir, '--records', '300', '--json']);
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    expect((await runCli(['--data-dir', dataDir, '--rollback', runId])).code).toBe(0);
    // WHEN the same command runs again
    const again = await runCli(['--data-dir', dataDir, '--records', '300']);
    // THEN it is refused, says the run is unchanged, and never claimed to resume it
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Run ${runId} was refused (RunNotResumableError): `);
    expect(again.stderr).toContain('The run (still ROLLED_BACK) and the target are unchanged.');
    expect(again.stderr).not.toMatch(/resuming run|FAILED with/);
  });

  it.each([
    [['--dump', 'order-summaries', '--rollback', 'r1'], '--dump', '--rollback'],
    [['--dump', 'order-summaries', '--rehearse-rollback', 'r1'], '--dump', '--rehearse-rollback'],
    [['--dump', 'order-summaries', '--seed-only'], '--dump', '--seed-only'],
    [['--seed-only', '--rollback', 'r1'], '--rollback', '--seed-only'],
    [['--dump', 'order-summaries', '--spec', 'examples/orders-spec.json'], '--dump', '--spec'],
    [['--rollback', 'r1', '--spec', 'examples/orders-spec.json'], '--rollback', '--spec'],
    [['--seed-only', '--spec', 'examples/orders-spec.json'], '--seed-only', '--spec'],
    [['--rehearse-rollback', 'r1', '--run-id', 'r2'], '--rehearse-rollback', '--run-id'],
  ])('refuses options that exclude each other (%j) with exit 2 naming both, doing nothing', async (args, first, second) => {
    const dataDir = join(work, 'conflicting');
    const result = await runCli(['--data-dir', dataDir, ...args]);
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toContain(first);
    expect(result.stderr).toContain(second);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.each(['1e3', '1.5', '0x10', ' 7', '-0', ''])('--records accepts only a plain whole number: %j is refused (exit 2)', async (value) => {
    const result = await runCli([`--records=${value}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: --records must be a whole number from 0 to 10000000 (digits only), got ${JSON.stringify(value)}\n`);
  });

  it('--dump of a table that does not exist lists the tables there', async () => {
    const dataDir = join(work, 'data');
    const result = await runCli(['--data-dir', dataDir, '--dump', 'nosuch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: no table nosuch in ${dataDir} (it has: backfill-ledger, order-summaries); give one of those\n`);
  });

  it('a failed run without a data dir says nothing was kept; with --json it also prints the failure on stdout', async () => {
    // GIVEN an in-memory run of an empty dataset (EmptyPlanError)
    const result = await runCli(['--records', '0', '--json']);
    // THEN it exits 1, without advising to resume (nothing was kept), but to keep state with --data-dir
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('FAILED with EmptyPlanError');
    expect(result.stderr).not.toContain('it resumes this run');
    expect(result.stderr).toContain('Without --data-dir nothing was kept: fix the cause and run it again (with --data-dir DIR to keep its state and resume it after a failure)');
    // AND scripts read the failure from stdout
    expect(JSON.parse(result.stdout)).toEqual({ runId: 'orders-fix-rounding-b9c5aaee57a1', status: 'FAILED', error: 'EmptyPlanError', cause: expect.stringContaining('has nothing to process') });
  });
});
