import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli, startCli, waitUntil } from './runCli';

jest.setTimeout(180_000);

describe('an in-memory npm start (no --data-dir) and its s3rver temp folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-tempdir-'));
  const specFile = join(work, 'spec.json');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeAll(() => writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 1 })));

  const s3rverFolders = (dir: string): string[] => readdirSync(dir).filter((name) => name.includes('s3rver'));

  async function startedRun(temp: string) {
    const cli = startCli(['--records', '3000', '--spec', specFile], { env: { TMPDIR: temp } });
    await waitUntil(() => /batches \d+\/\d+/.test(cli.stderrSoFar()), 'the map to start', cli.done);
    return cli;
  }

  it('a folder left by a run killed with -9 is removed by the next in-memory run', async () => {
    // GIVEN an in-memory run killed with SIGKILL in the middle of its map
    const temp = join(work, 'killed');
    mkdirSync(temp);
    const killed = await startedRun(temp);
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(s3rverFolders(temp)).toHaveLength(1);
    // WHEN the next in-memory run starts and ends
    const next = await runCli(['--records', '200'], { env: { TMPDIR: temp } });
    // THEN no s3rver folder is left in the temp dir
    expect(next.code).toBe(0);
    expect(s3rverFolders(temp)).toEqual([]);
  });

  it('the folder of a run still going is left alone', async () => {
    // GIVEN an in-memory run in progress
    const temp = join(work, 'live');
    mkdirSync(temp);
    const live = await startedRun(temp);
    const its = s3rverFolders(temp);
    expect(its).toHaveLength(1);
    // WHEN another in-memory run starts and ends meanwhile (the live one held still with SIGSTOP,
    // so it cannot end first and remove its own folder; a stopped process keeps its locks)
    live.child.kill('SIGSTOP');
    let other;
    try {
      other = await runCli(['--records', '200'], { env: { TMPDIR: temp } });
    } finally {
      live.child.kill('SIGCONT');
    }
    expect(other.code).toBe(0);
    // THEN the live run's folder is still there, and the live run still finishes
    expect(s3rverFolders(temp)).toEqual(its);
    expect((await live.done).code).toBe(0);
    expect(s3rverFolders(temp)).toEqual([]);
  });
});
