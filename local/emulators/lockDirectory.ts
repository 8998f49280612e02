import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dynaliteLevel } from './dynaliteLevel';
import { DataDirLockedError, DataDirUnusableError } from './errors';

/** The lock of one data dir (or emulator directory), held by this process until `release()` (or until it dies). */
export interface DirectoryLock {
  readonly dataDir: string;
  release(): Promise<void>;
}

const LOCK_FOLDER = 'lock';
const HOLDER_FILE = 'holder.json';

/**
 * Creates the data dir one level at a time. Why not `mkdirSync(path, { recursive: true })`: on a
 * path it can never create (under /proc, say) Node's recursive mkdir retries ENOENT forever, and
 * `--data-dir` then hung with no message. Here the first failing level ends it, with the OS error.
 */
function makeDataDir(dataDir: string): void {
  const missing: string[] = [];
  for (let dir = resolve(dataDir); ; dir = dirname(dir)) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(dataDir, error);
    }
    if (isDirectory === false) throw new DataDirUnusableError(dataDir, `${dir} is a file, not a directory`);
    if (isDirectory) break;
    missing.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dataDir, error);
    }
  }
}

const unusable = (dataDir: string, error: unknown): DataDirUnusableError => {
  const err = error as NodeJS.ErrnoException;
  return new DataDirUnusableError(dataDir, err.message, { cause: error });
};

function describeHolder(lockDir: string): string | undefined {
  try {
    const holder = JSON.parse(readFileSync(join(lockDir, HOLDER_FILE), 'utf8')) as { pid?: number; since?: string };
    return `pid ${holder.pid}, since ${holder.since}`;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir's lock before anything else opens the dir: creates the dir, then opens a
 * LevelDB store in `<dataDir>/lock/`, whose LOCK is an OS file lock (fcntl) taken atomically and
 * released by the OS when the holding process dies, kill -9 included. So exactly one process at a
 * time works on a data dir, even two started together on a fresh one, and a process that gets the
 * lock knows every earlier holder is gone (the local runtime then takes their batch leases over).
 * @throws DataDirLockedError while another process (or another environment of this one) holds it
 * @throws DataDirUnusableError when the dir cannot be created or written, naming the OS error
 * @example
 *   const lock = await lockDirectory('.backfill-data');
 *   try { ... } finally { await lock.release(); }
 */
export async function lockDirectory(dataDir: string): Promise<DirectoryLock> {
  makeDataDir(dataDir);
  const lockDir = join(dataDir, LOCK_FOLDER);
  const Level = dynaliteLevel();
  const db = new Level(lockDir, { valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') throw new DataDirLockedError(dataDir, describeHolder(lockDir), { cause: error });
    throw new DataDirUnusableError(dataDir, cause?.message ?? (error as Error).message, { cause: error });
  }
  try {
    writeFileSync(join(lockDir, HOLDER_FILE), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  } catch (error) {
    await db.close();
    throw unusable(dataDir, error);
  }
  return { dataDir, release: () => db.close() };
}
