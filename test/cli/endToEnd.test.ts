import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../cli/errors';
import { waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { backfill, spawnBackfill, type SpawnedBackfill } from './support/spawnBackfill';

const ME = `local:${userInfo().username}`;

// `backfill local up` in one process; every operator step from processes of their own, talking to
// it only through endpoints.json and the AWS APIs it serves.
describe('local up and the CLI, each in its own process', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'backfill-e2e-')), 'cloud');
  let cloud: SpawnedBackfill;
  beforeAll(async () => {
    cloud = spawnBackfill(['local', 'up', '--data-dir', dir, '--port', '0']);
    await waitFor(
      async () => {
        if (cloud.child.exitCode !== null) throw new Error(`local up exited ${cloud.child.exitCode}: ${(await cloud.done).stderr}`);
        return existsSync(join(dir, 'endpoints.json'));
      },
      { describe: 'local up to write endpoints.json', timeoutMs: 90_000, intervalMs: 200 },
    );
  }, 100_000);
  afterAll(async () => {
    if (cloud.child.exitCode === null) cloud.child.kill('SIGKILL');
    await cloud.done;
  });

  it('starts a run from one process and watches it to SUCCEEDED from another', async () => {
    const started = await backfill('start', '--spec', 'examples/orders-spec.json', '--local', dir);
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    const runId = /^Started run (\S+)$/m.exec(started.stdout)![1]!;
    const watched = await backfill('watch', runId, '--local', dir);
    expect(watched.code).toBe(EXIT.ok);
    expect(watched.stdout.split('\n')[0]).toMatch(new RegExp(`^Run ${runId}: SUCCEEDED$`));
    expect(watched.stdout).toMatch(/records          20,000 read of 20,000/);
  }, 120_000);

  it('stops a run and rolls it back; the audit trail names the actor of each step', async () => {
    const specFile = join(dir, '..', 'slow.json');
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, jobName: 'e2e-slow', batchSize: 500, maxConcurrency: 1, leaseSeconds: 5 }));
    const started = await backfill('--local', dir, 'start', '--spec', specFile, '--name', 'e2e-slow-1');
    expect(started.code).toBe(0);
    await waitFor(
      async () => {
        const status = JSON.parse((await backfill('status', 'e2e-slow-1', '--local', dir, '--json')).stdout || '{}') as { status?: string; batches?: { done: number } };
        return status.status === 'RUNNING' && (status.batches?.done ?? 0) > 0;
      },
      { describe: 'the slow run to have done a batch', timeoutMs: 60_000, intervalMs: 500 },
    );
    const stopped = await backfill('stop', 'e2e-slow-1', '--reason', 'e2e: wrong window', '--local', dir);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout.split('\n')[0]).toBe(`Stopped run e2e-slow-1: STOPPED, by ${ME}: e2e: wrong window`);
    const rolledBack = await backfill('rollback', 'e2e-slow-1', '--reason', 'e2e: undo the partial run', '--local', dir);
    expect(rolledBack.code).toBe(EXIT.ok);
    expect(rolledBack.stdout.split('\n')[0]).toBe('Rollback of run e2e-slow-1: ROLLED_BACK');
    const audit = JSON.parse((await backfill('audit', 'e2e-slow-1', '--local', dir, '--json')).stdout) as Array<{ type: string; actor?: string; detail?: { reason?: string } }>;
    const step = (type: string) => audit.filter((e) => e.type === type).map((e) => [e.actor, e.detail?.reason]);
    expect(step('RunStarted')).toEqual([[ME, undefined]]);
    expect(step('RunStopped')).toEqual([[ME, 'e2e: wrong window']]);
    expect(step('RollbackStarted')).toEqual([[ME, 'e2e: undo the partial run']]);
  }, 120_000);

  it('local up shuts down cleanly on SIGINT (exit 0) and removes endpoints.json', async () => {
    cloud.child.kill('SIGINT');
    const { code } = await cloud.done;
    expect(code).toBe(0);
    expect(existsSync(join(dir, 'endpoints.json'))).toBe(false);
    const after = await backfill('list', '--local', dir);
    expect(after.code).toBe(EXIT.target);
  }, 30_000);
});
