import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { startLocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { readLedger } from './dataDirLedger';
import { killWhenFrozen, runCli, startCli } from './runCli';

jest.setTimeout(300_000);

const RECORDS = '3000';

describe('npm start -- --rollback / --rehearse-rollback', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-rollback-cli-'));
  const specFile = join(work, 'spec.json');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeAll(() => {
    // Short leases so a batch held by the killed process is taken over within seconds.
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 2, leaseSeconds: 5 }));
  });

  it('refuses bad usage with exit 2: no data dir, both commands, --force or --keep-newer-run-writes without --rollback', async () => {
    for (const args of [
      ['--rollback', 'r1'],
      ['--data-dir', work, '--rollback', 'r1', '--rehearse-rollback', 'r1'],
      ['--data-dir', work, '--force'],
      ['--data-dir', work, '--rehearse-rollback', 'r1', '--keep-newer-run-writes'],
    ]) {
      const result = await runCli(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
    }
  });

  it('rehearses, rolls back (killed with SIGKILL halfway and resumed), leaving the target byte-identical to before the run', async () => {
    // GIVEN the demo target before the run, and the run
    const dir = join(work, 'data');
    expect((await runCli(['--data-dir', dir, '--records', RECORDS, '--seed-only'])).code).toBe(0);
    const before = await runCli(['--data-dir', dir, '--dump', 'order-summaries']);
    const run = await runCli(['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--json']);
    expect(run.code).toBe(0);
    const { runId } = JSON.parse(run.stdout) as { runId: string };

    // WHEN an unknown run is rolled back THEN it is refused by name with exit 1
    const unknown = await runCli(['--data-dir', dir, '--rollback', 'no-such-run']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/RunNotFoundError: Run no-such-run does not exist in the ledger/);

    // WHEN the rollback is rehearsed THEN it is healthy (exit 0) and says what it would do
    const rehearsal = await runCli(['--data-dir', dir, '--rehearse-rollback', runId, '--json']);
    expect(rehearsal.code).toBe(0);
    expect(JSON.parse(rehearsal.stdout)).toMatchObject({ healthy: true, problemCount: 0, wouldDelete: expect.any(Number), estimate: { seconds: expect.any(Number) } });

    // WHEN the rollback is killed in the middle (frozen at its first progress line past 20%, so
    // the kill lands there) and the same command runs again
    const killed = startCli(['--data-dir', dir, '--rollback', runId, '--json'], { freezeAt: { stderr: 'batches restored \\d+/\\d+ \\(2\\d%\\)' } });
    expect((await killWhenFrozen(killed, 'past 20% of batches restored')).signal).toBe('SIGKILL');
    // (the ledger shows it landed mid-rollback: some but not all batches restored)
    const landed = await readLedger(dir, runId, 'rollback');
    expect(landed.run?.status).toBe('ROLLING_BACK');
    expect(landed.byStatus.DONE).toBeGreaterThan(0);
    expect(landed.byStatus.DONE).toBeLessThan(JSON.parse(run.stdout).batches.planned);
    const resumed = await runCli(['--data-dir', dir, '--rollback', runId, '--json']);

    // THEN it finished (exit 0), resumed, and the target is byte-identical to before the run
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: resumed.stderr });
    const report = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ status: 'ROLLED_BACK', rollbackStarts: 2, counts: { conflicts: 0 } });
    expect(report.itemsPerSecond).toBeGreaterThan(0);
    const after = await runCli(['--data-dir', dir, '--dump', 'order-summaries']);
    expect(after.stdout).toBe(before.stdout);

    // AND once more, it only shows the report and says the run was already rolled back
    const again = await runCli(['--data-dir', dir, '--rollback', runId]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/was already rolled back \(ROLLED_BACK.*nothing was changed now/);
  });

  it('a rehearsal after a live write exits 4 and prints the attribute that differs, as the rollback then does', async () => {
    // GIVEN a run, then a live write to one item it wrote
    const dir = join(work, 'live');
    const run = await runCli(['--data-dir', dir, '--records', '400', '--spec', specFile, '--json']);
    expect(run.code).toBe(0);
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    const env = await startLocalEnvironment({ dataDir: dir, codeVersion: 'test' });
    let line: string;
    try {
      const { Items } = await env.clients.ddb.send(new ScanCommand({ TableName: LOCAL_NAMES.demoTargetTable, ConsistentRead: true }));
      const written = Items!.find((item) => item.backfillRunId === runId)!;
      const totalCents = Number(written.totalCents);
      await env.clients.ddb.send(
        new UpdateCommand({ TableName: LOCAL_NAMES.demoTargetTable, Key: { orderId: written.orderId }, UpdateExpression: 'SET totalCents = :t', ExpressionAttributeValues: { ':t': totalCents + 11 } }),
      );
      line = `totalCents: ${totalCents} → ${totalCents + 11}`;
    } finally {
      await env.close();
    }

    // WHEN the rollback is rehearsed THEN it exits 4, naming the conflict and what differs
    const rehearsal = await runCli(['--data-dir', dir, '--rehearse-rollback', runId]);
    expect({ code: rehearsal.code, stdout: rehearsal.stdout }).toEqual({ code: 4, stdout: expect.stringContaining('1 CONFLICT a rollback would leave; a rollback would end ROLLED_BACK_WITH_CONFLICTS') });
    expect(rehearsal.stdout).toContain(line);

    // AND the rollback then meets exactly that conflict (exit 4), printed the same way
    const rollback = await runCli(['--data-dir', dir, '--rollback', runId]);
    expect({ code: rollback.code, stdout: rollback.stdout }).toEqual({ code: 4, stdout: expect.stringContaining('ROLLED_BACK_WITH_CONFLICTS') });
    expect(rollback.stdout).toContain(line);
    expect(rollback.stdout).toMatch(/conflicts\s+1 items changed since the run/);
  });
});
