import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockedTempDir, removeAbandonedTempDirs } from '../../../local/emulators/s3rverTempDir';

const MODULE = join(__dirname, '../../../local/emulators/s3rverTempDir.ts');

describe('lockedTempDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'backfill-tempdirs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes its directory even while another process\'s clean-up of abandoned ones runs at the same moment', async () => {
    // GIVEN in-memory s3rver directories closing while other runs start (each start cleans up first)
    for (let round = 0; round < 40; round++) {
      const temp = await lockedTempDir(root);
      // WHEN the owner removes it as a clean-up looks at the same folder
      const outcomes = await Promise.allSettled([temp.remove(), removeAbandonedTempDirs(root)]);
      // THEN neither fails, and nothing is left behind
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    }
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('removeAbandonedTempDirs', () => {
  const root = mkdtempSync(join(tmpdir(), 'backfill-tempdirs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('never takes a live folder away, even after a clean-up in its own process looked at it', async () => {
    // GIVEN a live in-memory s3rver folder of this process
    const live = await lockedTempDir(root);
    // WHEN a second start in this process cleans up (it must not touch the lock this process holds:
    // closing the lock file would drop the process's OS lock) and then another process cleans up
    expect(await removeAbandonedTempDirs(root)).toEqual([]);
    const other = spawnSync(process.execPath, ['--import', 'tsx', '-e', `require(${JSON.stringify(MODULE)}).removeAbandonedTempDirs(${JSON.stringify(root)}).then((r) => console.log(JSON.stringify(r)))`], { encoding: 'utf8' });
    // THEN the other process found the folder locked and left it alone
    expect({ status: other.status, removed: other.stdout.trim(), stderr: other.stderr }).toEqual({ status: 0, removed: '[]', stderr: '' });
    expect(existsSync(live.directory)).toBe(true);
    await live.remove();
  });
});
