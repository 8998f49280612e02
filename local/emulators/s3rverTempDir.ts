import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDirectory } from './lockDirectory';

/** Temp directories of in-memory runs: `<tempRoot>/backfill-s3rver-XXXXXX/{lock,store}`. */
const TEMP_PREFIX = 'backfill-s3rver-';

/**
 * Removes the temp directories that in-memory runs killed before their close (kill -9) left behind.
 * Each one holds a directory lock while its process lives (see lockDirectory), so a directory whose
 * lock this process can take belongs to a process that is gone: it is removed. One still locked is
 * in use, and a directory without a holder record is not ours to judge (or not set up yet): both
 * are left alone.
 * @returns the directories it removed
 */
export async function removeAbandonedTempDirs(tempRoot: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(tempRoot);
  } catch {
    return removed;
  }
  for (const name of names.filter((n) => n.startsWith(TEMP_PREFIX))) {
    const root = join(tempRoot, name);
    // holder.json is written once the lock is held: a directory still being set up is never judged.
    if (!(await readdir(join(root, 'lock')).catch(() => [] as string[])).includes('holder.json')) continue;
    try {
      const lock = await lockDirectory(root);
      await lock.release();
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
      removed.push(root);
    } catch {
      // Locked (in use), or its owner is removing it right now: left alone; a later start retries.
    }
  }
  return removed;
}

/** A fresh temp directory for one in-memory s3rver, locked by this process until it is removed. */
export async function lockedTempDir(tempRoot: string): Promise<{ directory: string; remove(): Promise<void> }> {
  await removeAbandonedTempDirs(tempRoot);
  const root = await mkdtemp(join(tempRoot, TEMP_PREFIX));
  const lock = await lockDirectory(root);
  const directory = join(root, 'store');
  await mkdir(directory);
  return {
    directory,
    remove: async () => {
      // The holder record goes first, so another process's clean-up no longer judges this directory
      // (it could otherwise take the released lock and recreate the lock file while we remove it).
      await rm(join(root, 'lock', 'holder.json'), { force: true });
      await lock.release();
      // A clean-up that read the record just before still races us: retry on ENOTEMPTY.
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    },
  };
}
