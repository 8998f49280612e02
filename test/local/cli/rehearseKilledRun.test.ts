import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { getBatch, listBatches } from '../../../lambdas/lib/ledger';
import { batchSk, runPk } from '../../../lambdas/lib/ledger/keys';
import { ensureDemoSeeded } from '../../../local/runtime/ensureDemoSeeded';
import { startLocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { runBackfillLocally } from '../../../local/runtime/runBackfillLocally';
import { waitFor } from '../../support';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli } from './runCli';

jest.setTimeout(240_000);

const RUN_ID = 'killed-run';
const SPEC = { ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 1, leaseSeconds: 600 };
const DEAD_OWNER = 'the-process-that-died';

/**
 * The ledger's run and batch records, as --dump prints them (what a rehearsal must leave as they
 * are), and its audit trail less the RollbackRehearsed events a rehearsal adds by design.
 */
const ledgerOf = async (dataDir: string): Promise<string> =>
  (await runCli(['--data-dir', dataDir, '--dump', 'backfill-ledger'])).stdout
    .split('\n')
    .filter((line) => !line.includes('"type":"RollbackRehearsed"'))
    .join('\n');

describe('rehearsing the rollback of a run whose process was killed (still RUNNING, a 600 s lease on a batch that recorded its snapshot)', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-rehearse-killed-'));
  const dataDir = join(work, 'data');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('says the rollback would be refused (exit 4, RunStillRunningError), with --force what the forced rollback then does, and writes no lease', async () => {
    // GIVEN a run stopped after its first batches, one of which a process that died still holds, its snapshot recorded
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const env = await startLocalEnvironment({ dataDir, codeVersion: 'test' });
    let leasedUntil: number;
    try {
      await ensureDemoSeeded(env.clients, 1_000);
      const stop = new AbortController();
      const first = await runBackfillLocally({ env, input: SPEC, runId: RUN_ID, signal: stop.signal, onEvent: (e) => e.kind === 'child-succeeded' && stop.abort() });
      expect(first.status).toBe('ABORTED');
      await waitFor(async () => (await listBatches(env.deps, RUN_ID)).every((b) => b.status !== 'IN_PROGRESS'), { describe: 'in-flight batches to finish', timeoutMs: 60_000 });
      leasedUntil = Date.now() + 600_000;
      await env.clients.ddb.send(
        new UpdateCommand({
          TableName: env.deps.ledgerTable,
          Key: { pk: runPk(RUN_ID), sk: batchSk('b0000000') },
          UpdateExpression: 'SET #status = :inProgress, leaseOwner = :owner, leaseExpiresAtMs = :until',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':owner': DEAD_OWNER, ':until': leasedUntil },
        }),
      );
      expect((await getBatch(env.deps, RUN_ID, 'b0000000'))?.snapshot).toBeDefined();
    } finally {
      await env.close(); // the process is gone: the OS releases its data dir lock
    }
    const ledger = await ledgerOf(dataDir);

    // WHEN it is rehearsed THEN the rehearsal says the rollback would be refused, and why (exit 4)
    const rehearsal = await runCli(['--data-dir', dataDir, '--rehearse-rollback', RUN_ID]);
    expect({ code: rehearsal.code, stdout: rehearsal.stdout }).toEqual({ code: 4, stdout: expect.stringContaining(`Rollback rehearsal of run ${RUN_ID} (RUNNING): 1 PROBLEM; a rollback would be refused`) });
    expect(rehearsal.stdout).toMatch(/- run-status RunStillRunningError: Run killed-run is RUNNING: a live run must be stopped .*--force/);
    // AND it took no lease over: the ledger is as it was (a rehearsal writes nothing there), and it says what a rollback would take over
    expect(rehearsal.stderr).not.toMatch(/took over/);
    expect(rehearsal.stderr).toMatch(/a rollback would first take over 1 batch lease of run killed-run \(b0000000\) held by an earlier process that is gone/);
    expect(await ledgerOf(dataDir)).toBe(ledger);

    // WHEN it is rehearsed with --force THEN it says what the forced rollback would do: taking the dead process's lease over, it ends ROLLED_BACK
    const forced = await runCli(['--data-dir', dataDir, '--rehearse-rollback', RUN_ID, '--force', '--json']);
    expect({ code: forced.code, stderr: forced.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const report = JSON.parse(forced.stdout);
    expect(report).toMatchObject({ runStatus: 'RUNNING', forced: true, healthy: true, wouldEndAs: 'ROLLED_BACK', problemCount: 0 });
    expect(await ledgerOf(dataDir)).toBe(ledger);

    // AND the forced rollback does exactly that
    const rollback = await runCli(['--data-dir', dataDir, '--rollback', RUN_ID, '--force', '--json']);
    expect({ code: rollback.code, stderr: rollback.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/took over 1 batch lease of run killed-run \(b0000000\)/) });
    expect(JSON.parse(rollback.stdout)).toMatchObject({ status: 'ROLLED_BACK', forced: true, batches: report.batches, counts: { restored: report.wouldRestore, deleted: report.wouldDelete, conflicts: 0 } });
  });
});
