import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../cli/errors';
import { waitFor } from '../support';
import { runCli } from '../local/cli/runCli';
import { backfill, spawnBackfill, type SpawnedBackfill } from './support/spawnBackfill';

jest.setTimeout(600_000);

const START = ['--records', '2000', '--spec', 'examples/orders-spec.json'];

/** What a run wrote, from `backfill report --json` (not its times). */
async function writtenBy(dir: string, runId: string): Promise<Record<string, unknown>> {
  const { stdout } = await backfill('--local', dir, 'report', runId, '--json');
  const { status, batches, records, counts, targetChecksum, planHash } = JSON.parse(stdout) as Record<string, unknown>;
  return { status, batches, records, counts, targetChecksum, planHash };
}

async function localUp(dir: string): Promise<SpawnedBackfill> {
  const cloud = spawnBackfill(['local', 'up', '--data-dir', dir, '--port', '0']);
  await waitFor(
    async () => {
      if (cloud.child.exitCode !== null) throw new Error(`local up exited ${cloud.child.exitCode}: ${(await cloud.done).stderr}`);
      return existsSync(join(dir, 'endpoints.json'));
    },
    { describe: 'local up to write endpoints.json', timeoutMs: 90_000, intervalMs: 200 },
  );
  return cloud;
}

async function statusOf(dir: string, runId: string): Promise<string | undefined> {
  return (JSON.parse((await backfill('status', runId, '--local', dir, '--json')).stdout || '{}') as { status?: string }).status;
}

// GIVEN `npm start --inject-faults throttle=0.5` ended PAUSED (exit 5), its data dir kept, then `local up` on it
describe('the steps npm start prints for a PAUSED run work after local up restarts its cloud', () => {
  const root = mkdtempSync(join(tmpdir(), 'backfill-paused-'));
  const paused = join(root, 'paused');
  let runId = '';
  const clouds: SpawnedBackfill[] = [];
  beforeAll(async () => {
    const started = await runCli([...START, '--data-dir', paused, '--inject-faults', 'throttle=0.5']);
    expect(started.code).toBe(5); // npm start's exit for a PAUSED run
    runId = /^Run (\S+) is PAUSED/m.exec(started.stderr + started.stdout)![1]!;
  }, 300_000);
  afterAll(async () => {
    for (const cloud of clouds) {
      if (cloud.child.exitCode === null) cloud.child.kill('SIGKILL');
      await cloud.done;
    }
  });
  async function restarted(name: string): Promise<string> {
    const dir = join(root, name);
    cpSync(paused, dir, { recursive: true });
    clouds.push(await localUp(dir));
    return dir;
  }

  it('local up starts the paused run again and it stays PAUSED (not FAILED); breaker close + resume finish it as an uninterrupted run does', async () => {
    const reference = join(root, 'reference');
    expect((await runCli([...START, '--data-dir', reference])).code).toBe(EXIT.ok);
    const dir = await restarted('resume');
    expect(await statusOf(dir, runId)).toBe('PAUSED');

    expect((await backfill('--local', dir, 'breaker', 'close', '--reason', 'faults gone')).code).toBe(0);
    const resumed = await backfill('--local', dir, 'resume', runId);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Resumed run ${runId}`);
    await waitFor(async () => (await statusOf(dir, runId)) === 'SUCCEEDED', { describe: 'the resumed run to succeed', timeoutMs: 240_000, intervalMs: 1000 });

    clouds.push(await localUp(reference));
    expect(await writtenBy(dir, runId)).toEqual(await writtenBy(reference, runId));
  });

  it('abort instead ends the run ABORTED in the same execution (not FAILED, not STOPPED), what was written kept', async () => {
    const dir = await restarted('abort');
    const aborted = await backfill('--local', dir, 'abort', runId, '--reason', 'give up');
    expect(aborted.code).toBe(0);
    await waitFor(async () => (await statusOf(dir, runId)) === 'ABORTED', { describe: 'the aborted run to end ABORTED', timeoutMs: 120_000, intervalMs: 500 });
    const audit = JSON.parse((await backfill('--local', dir, 'audit', runId, '--json')).stdout) as Array<{ type: string }>;
    const types = audit.map((event) => event.type);
    expect(types).toContain('RunReentered');
    expect(types).not.toContain('RunStopped');
    expect(types).toContain('RunAborted');
  });
});
