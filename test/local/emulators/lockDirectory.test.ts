import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDirectory, removeAbandonedTempDirs, startS3rver } from '../../../local/emulators';

describe('lockDirectory', () => {
  const work = mkdtempSync(join(tmpdir(), 'lock-directory-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('creates the directory, holds it against a second holder, and frees it on release', async () => {
    // GIVEN a directory locked once
    const dir = join(work, 'a', 'b');
    const lock = await lockDirectory(dir);
    // WHEN it is locked again before the release, and after it
    const refused = await lockDirectory(dir).then(
      () => undefined,
      (error: unknown) => error,
    );
    await lock.release();
    const again = await lockDirectory(dir);
    await again.release();
    // THEN the second attempt was refused naming the dir and this process, and the third succeeded
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toMatch(new RegExp(`^the data dir ${dir} is in use by another process \\(pid ${process.pid}, since `));
    expect(existsSync(join(dir, 'lock', 'holder.json'))).toBe(true);
  });
});

describe('removeAbandonedTempDirs', () => {
  const root = mkdtempSync(join(tmpdir(), 'temp-root-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('removes only the temp dirs of s3rvers whose process is gone, never a live one or a foreign one', async () => {
    // GIVEN a live in-memory s3rver, a temp dir whose holder is gone (its lock free), and a foreign folder
    const live = await startS3rver({ tempRoot: root });
    try {
      const abandoned = join(root, 'backfill-s3rver-gone01');
      await (await lockDirectory(abandoned)).release();
      mkdirSync(join(abandoned, 'store'));
      mkdirSync(join(root, 'backfill-s3rver-foreign'));
      const liveDir = readdirSync(root).find((name) => name.startsWith('backfill-s3rver-') && !name.endsWith('gone01') && !name.endsWith('foreign'));
      // WHEN the sweep runs
      const removed = await removeAbandonedTempDirs(root);
      // THEN only the abandoned one is gone
      expect(removed).toEqual([abandoned]);
      expect(readdirSync(root).sort()).toEqual(['backfill-s3rver-foreign', liveDir].sort());
    } finally {
      await live.close();
    }
    // AND closing the live s3rver removed its own temp dir
    expect(readdirSync(root)).toEqual(['backfill-s3rver-foreign']);
  });
});
