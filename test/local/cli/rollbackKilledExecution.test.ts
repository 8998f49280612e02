import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keptRunningExecutions } from '../../../local/cloud/keptRunningExecutions';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { readLedger } from './dataDirLedger';
import { killWhenFrozen, runCli, startCli } from './runCli';

jest.setTimeout(300_000);

const RUN_ID = 'killed-then-rolled-back';

/** Each kept execution's record.json and history.jsonl, byte for byte. */
function stepFunctionsState(dataDir: string): Record<string, string> {
  const root = join(dataDir, 'stepfunctions', 'executions');
  const files: Record<string, string> = {};
  for (const seq of readdirSync(root)) for (const file of readdirSync(join(root, seq))) files[`${seq}/${file}`] = readFileSync(join(root, seq, file), 'utf8');
  return files;
}

describe('npm start -- --data-dir DIR killed with SIGKILL mid-map, then rolled back with --force', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-rollback-killed-'));
  const dataDir = join(work, 'data');
  const specFile = join(work, 'spec.json');
  const runArgs = ['--data-dir', dataDir, '--records', '3000', '--spec', specFile, '--run-id', RUN_ID, '--json'];
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('leaves the killed execution as it is during the rollback and says so; started again later, it is refused and writes nothing', async () => {
    // GIVEN a run killed mid-map: its Backfill execution is kept RUNNING in DIR/stepfunctions
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 2, leaseSeconds: 600 }));
    await killWhenFrozen(startCli(runArgs, { freezeAt: { stderr: 'batches \\d+/\\d+ \\(3\\d%\\)' } }), 'mid-map');
    const [kept, ...others] = keptRunningExecutions(dataDir);
    expect({ kept, others }).toEqual({ kept: { executionArn: expect.stringContaining(`:execution:Backfill:${RUN_ID}`), stateMachineName: 'Backfill', runId: RUN_ID }, others: [] });
    const before = stepFunctionsState(dataDir);
    const notice = `execution ${kept!.executionArn} of run ${RUN_ID} was running when its process ended; it is left as it is`;

    // WHEN it is rehearsed and rolled back with --force
    const rehearsal = await runCli(['--data-dir', dataDir, '--rehearse-rollback', RUN_ID, '--force', '--json']);
    expect({ code: rehearsal.code, notice: rehearsal.stderr.includes(notice) }).toEqual({ code: 0, notice: true });
    const rollback = await runCli(['--data-dir', dataDir, '--rollback', RUN_ID, '--force', '--json']);

    // THEN the rollback ran alone: the killed execution was not started again (its record and history are byte for byte as the kill left them), and each said so in one line
    expect({ code: rollback.code, status: JSON.parse(rollback.stdout || '{}').status, notice: rollback.stderr.includes(notice) }).toEqual({ code: 0, status: 'ROLLED_BACK', notice: true });
    expect(stepFunctionsState(dataDir)).toEqual(before);
    const dumped = await runCli(['--data-dir', dataDir, '--dump', 'order-summaries']);
    expect({ code: dumped.code, notice: dumped.stderr.includes(notice) }).toEqual({ code: 0, notice: true });
    const ledgerAfterRollback = (await runCli(['--data-dir', dataDir, '--dump', 'backfill-ledger'])).stdout;

    // WHEN npm start runs the same command again: the local cloud starts the kept execution again
    const again = await runCli(runArgs);

    // THEN its StartRun refused it (the run is ROLLED_BACK): it ended FAILED naming why, and nothing was written
    expect({ code: again.code, refused: /was refused \(RunNotResumableError\)/.test(again.stderr) }).toEqual({ code: 1, refused: true });
    expect(keptRunningExecutions(dataDir)).toEqual([]);
    const record = JSON.parse(Object.entries(stepFunctionsState(dataDir)).find(([file]) => file.endsWith('record.json'))![1]) as Record<string, unknown>;
    expect(record).toMatchObject({ executionArn: kept!.executionArn, status: 'FAILED', error: 'RunNotResumableError', redriveCount: 1, cause: expect.stringContaining('ROLLED_BACK') });
    expect((await runCli(['--data-dir', dataDir, '--dump', 'order-summaries'])).stdout).toBe(dumped.stdout);
    expect((await runCli(['--data-dir', dataDir, '--dump', 'backfill-ledger'])).stdout).toBe(ledgerAfterRollback);
    expect((await readLedger(dataDir, RUN_ID)).run).toMatchObject({ status: 'ROLLED_BACK' });
  });
});
