import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockedTempDir, removeAbandonedTempDirs } from '../../../local/emulators/s3rverTempDir';

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
