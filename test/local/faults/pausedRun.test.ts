import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TABLE } from '../../../infra/definitions';
import { documentClient } from '../../../lambdas/lib/aws/clients';
import { readEndpointsFile } from '../../../local/cloud/endpointsFile';
import { describePausedRun, readPauseCause, untilPaused, type PauseCause } from '../../../local/cli/pausedRun';
import { createTable, uniqueName, useEmulators, waitFor } from '../../support';
import { startCli, waitUntil } from '../cli/runCli';

const BREAKER_OPEN = {
  pk: 'BREAKER',
  sk: 'BREAKER',
  state: 'OPEN',
  reason: 'Threshold Crossed: 2 out of the last 3 datapoints were greater than or equal to the threshold (5.0)',
  openedBy: 'alarm:backfill-local-breaker',
  openedAt: '2026-12-01T16:00:00.000Z',
  alarm: { name: 'backfill-local-breaker' },
  version: 1,
};
const BY_BREAKER = { action: 'pause', trigger: 'breaker', by: 'alarm:backfill-local-breaker', reason: BREAKER_OPEN.reason, at: '2026-12-01T16:00:01.000Z' };

describe('describePausedRun', () => {
  it("says the breaker paused the run, with its reason, alarm and time, and how to close it, resume or abort", () => {
    const cause: PauseCause = { status: 'PAUSED', control: BY_BREAKER, breaker: BREAKER_OPEN as PauseCause['breaker'] };
    expect(describePausedRun('orders-1', cause, '.backfill-local')).toEqual([
      `Run orders-1 is PAUSED by the circuit breaker: ${BREAKER_OPEN.reason} (alarm backfill-local-breaker, opened 2026-12-01T16:00:00.000Z).`,
      'No batch starts writing until it resumes; what was written stays, finished batches are not written again.',
      'To resume, with `npx backfill local up --data-dir .backfill-local` serving the paused run:',
      '  npx backfill --local .backfill-local breaker close --reason "<why it is safe again>"',
      '  npx backfill --local .backfill-local resume orders-1',
      'or stop it for good: npx backfill --local .backfill-local abort orders-1 --reason "<why>" [--rollback]',
    ]);
  });

  it('names the operator who paused it, and leaves the breaker step out when the breaker is closed', () => {
    const cause: PauseCause = { status: 'PAUSED', control: { trigger: 'operator', by: 'alice', reason: 'peak traffic' } };
    const lines = describePausedRun('orders-1', cause, undefined);
    expect(lines[0]).toBe('Run orders-1 is PAUSED by alice: peak traffic.');
    expect(lines[2]).toContain('Without --data-dir the paused run was not kept');
    expect(lines.some((line) => line.includes('breaker close'))).toBe(false);
  });
});

describe('readPauseCause and untilPaused on dynalite', () => {
  const env = useEmulators('dynalite');
  const ledgerTable = uniqueName('ledger');
  const deps = () => ({ clients: env().clients, ledgerTable });
  beforeAll(async () => createTable(env().clients, ledgerTable, LEDGER_TABLE));

  it('reads the run status, its control and the breaker in one consistent read', async () => {
    await env().clients.ddb.send(new PutCommand({ TableName: ledgerTable, Item: { pk: 'RUN#r1', sk: 'RUN', status: 'PAUSED', control: BY_BREAKER, other: 'ignored' } }));
    await env().clients.ddb.send(new PutCommand({ TableName: ledgerTable, Item: BREAKER_OPEN }));
    expect(await readPauseCause(deps(), 'r1')).toEqual({
      status: 'PAUSED',
      control: { trigger: 'breaker', by: BY_BREAKER.by, reason: BY_BREAKER.reason, at: BY_BREAKER.at },
      breaker: { state: 'OPEN', reason: BREAKER_OPEN.reason, openedBy: BREAKER_OPEN.openedBy, openedAt: BREAKER_OPEN.openedAt, alarm: { name: 'backfill-local-breaker' } },
    });
    expect(await readPauseCause(deps(), 'missing')).toBeUndefined();
  });

  it('resolves once the run is PAUSED, not while it is RUNNING or PAUSING', async () => {
    await env().clients.ddb.send(new PutCommand({ TableName: ledgerTable, Item: { pk: 'RUN#r2', sk: 'RUN', status: 'RUNNING' } }));
    const stop = new AbortController();
    let resolved: PauseCause | undefined;
    void untilPaused(deps(), 'r2', { intervalMs: 20, signal: stop.signal }).then((cause) => (resolved = cause));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await env().clients.ddb.send(new UpdateCommand({ TableName: ledgerTable, Key: { pk: 'RUN#r2', sk: 'RUN' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'PAUSING' } }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(resolved).toBeUndefined();
    await env().clients.ddb.send(new UpdateCommand({ TableName: ledgerTable, Key: { pk: 'RUN#r2', sk: 'RUN' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'PAUSED' } }));
    await waitFor(() => resolved !== undefined, { describe: 'untilPaused to resolve', timeoutMs: 5_000, intervalMs: 20 });
    expect(resolved).toMatchObject({ status: 'PAUSED' });
    stop.abort();
  });
});

describe('npm start on a run that pauses', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-paused-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ends with exit 5, the breaker reason and how to resume, once its run is PAUSED', async () => {
    // GIVEN npm start running a run on a data dir, waiting (for its canary's approval: no handler races the change below)
    const runId = 'paused-demo';
    const cli = startCli(['--data-dir', dataDir, '--run-id', runId, '--records', '2000', '--approval', 'manual', '--inject-faults', 'latency=2ms']);
    await waitUntil(() => cli.stderrSoFar().includes('injecting faults latency=2ms (seed 12)'), 'the faults note', cli.done);
    await waitUntil(() => cli.stderrSoFar().includes('approval link ('), 'the approval link', cli.done);
    const endpoints = await waitFor(() => readEndpointsFile(dataDir), { describe: 'endpoints.json', timeoutMs: 60_000 });
    const ddb = documentClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const key = { pk: `RUN#${runId}`, sk: 'RUN' };
      // WHEN the breaker opens and the run is recorded PAUSED (what the breaker handler and CheckGate do)
      await ddb.send(new PutCommand({ TableName: endpoints.resources.ledgerTable, Item: BREAKER_OPEN }));
      await ddb.send(new UpdateCommand({ TableName: endpoints.resources.ledgerTable, Key: key, UpdateExpression: 'SET #s = :s, #c = :c', ExpressionAttributeNames: { '#s': 'status', '#c': 'control' }, ExpressionAttributeValues: { ':s': 'PAUSED', ':c': BY_BREAKER } }));
      // THEN npm start ends at once with the cause and the steps
      let ended: Awaited<typeof cli.done> | undefined;
      void cli.done.then((result) => (ended = result));
      const result = await waitFor(() => ended, { describe: 'npm start to end', timeoutMs: 60_000, intervalMs: 50 });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 5, stderr: expect.stringContaining(`Run ${runId} is PAUSED`) });
      expect(result.stderr).toContain(`Run ${runId} is PAUSED by the circuit breaker: ${BREAKER_OPEN.reason} (alarm backfill-local-breaker`);
      expect(result.stderr).toContain(`npx backfill --local ${dataDir} resume ${runId}`);
    } finally {
      ddb.destroy();
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  }, 180_000);
});
