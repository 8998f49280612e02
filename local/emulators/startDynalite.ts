import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { dynaliteLevel } from './dynaliteLevel';
import { EmulatorStateUnreadableError, PortInUseError } from './errors';

/** A running DynamoDB emulator on loopback. */
export interface RunningEmulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** Directory for the LevelDB store. @default - in memory, discarded on close */
  readonly path?: string;
  /** Port on 127.0.0.1. @default 0 - an ephemeral port */
  readonly port?: number;
}

/** The part of a dynalite table record this module reads and repairs. */
interface StoredTable {
  TableStatus?: string;
  CreationDateTime?: number;
  BillingModeSummary?: { LastUpdateToPayPerRequestDateTime?: number };
  GlobalSecondaryIndexes?: Array<{ IndexStatus?: string }>;
}

/** dynalite keeps each table's description under `table~NAME` in the LevelDB store. */
const TABLE_PREFIX = 'table~';

/** LevelDB's own note (in LOG) that it skipped part of a write-ahead log it could not read. */
const DROPPED_LOG_BYTES = /(\S+\.log): dropping \d+ bytes; [^\n]*/;

/**
 * Written beside a store whose log LevelDB dropped. Why: LevelDB deletes that log and starts a new
 * LOG at the next open, so without this note the next start would find nothing wrong and go on
 * with the records lost.
 */
const DAMAGED_NOTE = 'DAMAGED';

/**
 * Fails when the store just opened is damaged. Why: LevelDB opens a store whose files were
 * overwritten and reports it only later: a damaged table file on the first read that touches it (in
 * dynalite, deep inside a run, as an "IO error" or "Corruption"), a damaged write-ahead log not at
 * all: it drops the unreadable records, notes that in LOG, and the run then silently starts over on
 * what is left. Reading every key here reaches every table file once, at start.
 */
async function checkStoreReadable(db: InstanceType<ReturnType<typeof dynaliteLevel>>, path: string): Promise<void> {
  const log = join(path, 'LOG');
  const dropped = existsSync(log) ? readFileSync(log, 'utf8').match(DROPPED_LOG_BYTES) : null;
  if (dropped) {
    const reason = `LevelDB could not read its log and dropped records (${dropped[0]})`;
    writeFileSync(join(path, DAMAGED_NOTE), reason);
    throw new EmulatorStateUnreadableError(path, reason);
  }
  try {
    for await (const _key of db.keys()) {
      // Reading is the check.
    }
  } catch (error) {
    throw new EmulatorStateUnreadableError(path, `LevelDB cannot read it (${(error as Error).message})`, { cause: error });
  }
}

/**
 * Finishes table creations that a killed process left half done, before dynalite opens the store.
 *
 * Why: dynalite's CreateTable stores the table as CREATING, answers, and only flips it to ACTIVE
 * from a timer (`createTableMs`, 0 here) in the process that created it. A SIGKILL between those
 * two writes leaves the table CREATING on disk for good: no later process owns that timer, every
 * Get/Put/Query then answers ResourceNotFoundException, DescribeTable still finds the table (so
 * "create if missing" never re-creates it), and DeleteTable refuses a CREATING table. The table is
 * empty-but-valid at that point (its key schema is stored with the CREATING record), so completing
 * the flip exactly as dynalite's timer would is the whole repair; no item is touched.
 *
 * Other transitional states (UPDATING, DELETING) are left alone: the local runtime never updates or
 * deletes tables, and ensureTable reports them with a clear message.
 *
 * @returns the names of the tables it flipped to ACTIVE
 */
export async function finishInterruptedTableCreations(path: string): Promise<string[]> {
  // A store that does not exist yet has no tables; opening it here would only create it early.
  if (!existsSync(join(path, 'CURRENT'))) return [];
  if (existsSync(join(path, DAMAGED_NOTE))) throw new EmulatorStateUnreadableError(path, readFileSync(join(path, DAMAGED_NOTE), 'utf8'));
  const Level = dynaliteLevel();
  // Values are read and written as the JSON text dynalite's 'json' encoding stores, so a record this
  // cannot parse is skipped (dynalite treats it as a missing table) instead of failing the start.
  const db = new Level(path, { valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
    const reason = cause?.message ?? (error as Error).message;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new Error(`cannot open the DynamoDB store in ${path} (${reason}); if another run uses the same data dir, wait for it or stop it`, { cause: error });
    }
    throw new EmulatorStateUnreadableError(path, `LevelDB cannot open it (${reason})`, { cause: error });
  }
  const repaired: string[] = [];
  try {
    await checkStoreReadable(db, path);
    const stuck: Array<[string, StoredTable]> = [];
    for await (const [key, text] of db.iterator({ gte: TABLE_PREFIX, lt: `${TABLE_PREFIX}\xff` })) {
      let table: StoredTable | undefined;
      try {
        table = JSON.parse(text) as StoredTable;
      } catch {
        continue;
      }
      if (table?.TableStatus === 'CREATING') stuck.push([key, table]);
    }
    for (const [key, table] of stuck) {
      // The same fields dynalite's createTable timer sets (node_modules/dynalite/actions/createTable.js).
      table.TableStatus = 'ACTIVE';
      for (const index of table.GlobalSecondaryIndexes ?? []) index.IndexStatus = 'ACTIVE';
      if (table.BillingModeSummary) table.BillingModeSummary.LastUpdateToPayPerRequestDateTime = table.CreationDateTime;
      await db.put(key, JSON.stringify(table));
      repaired.push(key.slice(TABLE_PREFIX.length));
    }
  } finally {
    // Closing releases the LevelDB LOCK so dynalite can open the same directory next.
    await db.close();
  }
  return repaired;
}

/**
 * Starts dynalite (pure-JS DynamoDB emulator) in this process on 127.0.0.1 and the given (or an ephemeral) port.
 * With a `path`, first checks the store can be read and repairs tables a killed earlier process
 * left CREATING (see {@link finishInterruptedTableCreations}).
 * @throws EmulatorStateUnreadableError when the store in `path` is damaged
 * @throws PortInUseError when `port` is taken
 * @example
 *   const ddb = await startDynalite(); // ... ; await ddb.close();
 */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningEmulator> {
  if (options.path) await finishInterruptedTableCreations(options.path);
  // dynalite ships no types; its factory returns a plain node http.Server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError('DynamoDB', options.port ?? 0, { cause: error }) : error));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
