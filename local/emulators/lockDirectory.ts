import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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
 * The lock folders this process holds. A second open of a held LevelDB lock in the same process
 * must never reach LevelDB: it opens the LOCK file before it checks its own table, and the close
 * that follows drops the process's fcntl lock (POSIX locks belong to the process, and any close of
 * the file releases them), so the holder would silently lose its lock to other processes.
 */
const heldHere = new Set<string>();

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

/** How long a process that lost the race for a lock waits for the winner's holder record. */
const HOLDER_RECORD_WAIT_MS = 2_000;

/**
 * The holder of a lock another process holds. The winner writes its record just after it takes
 * the lock, so a process that lost a race by a moment may look before the record exists: it waits
 * briefly rather than name no holder.
 */
async function awaitHolder(lockDir: string): Promise<string | undefined> {
  for (let waited = 0; ; waited += 20) {
    const holder = describeHolder(lockDir);
    if (holder !== undefined || waited >= HOLDER_RECORD_WAIT_MS) return holder;
    await sleep(20);
  }
}

/** Written whole or not at all (a reader never sees half a record): a temp file renamed over it. */
function writeHolderRecord(lockDir: string): void {
  const temp = join(lockDir, `${HOLDER_FILE}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  renameSync(temp, join(lockDir, HOLDER_FILE));
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
  const lockDir = resolve(dataDir, LOCK_FOLDER);
  if (heldHere.has(lockDir)) throw new DataDirLockedError(dataDir, describeHolder(lockDir));
  // Claimed before the first await, so two calls of this process never both reach LevelDB.
  heldHere.add(lockDir);
  try {
    makeDataDir(dataDir);
    const Level = dynaliteLevel();
    const db = new Level(lockDir, { valueEncoding: 'utf8' });
    try {
      await db.open();
    } catch (error) {
      const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') throw new DataDirLockedError(dataDir, await awaitHolder(lockDir), { cause: error });
      throw new DataDirUnusableError(dataDir, cause?.message ?? (error as Error).message, { cause: error });
    }
    try {
      writeHolderRecord(lockDir);
    } catch (error) {
      await db.close();
      throw unusable(dataDir, error);
    }
    return {
      dataDir,
      release: async () => {
        await db.close();
        heldHere.delete(lockDir);
      },
    };
  } catch (error) {
    heldHere.delete(lockDir);
    throw error;
  }
}
