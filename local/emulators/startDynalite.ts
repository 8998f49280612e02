import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { dynaliteLevel } from './dynaliteLevel';

/** A running DynamoDB emulator on loopback. */
export interface RunningEmulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** Directory for the LevelDB store. @default - in memory, discarded on close */
  readonly path?: string;
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
  const Level = dynaliteLevel();
  // Values are read and written as the JSON text dynalite's 'json' encoding stores, so a record this
  // cannot parse is skipped (dynalite treats it as a missing table) instead of failing the start.
  const db = new Level(path, { valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (error) {
    const reason = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
    throw new Error(`cannot open the DynamoDB store in ${path} (${reason}); if another run uses the same data dir, wait for it or stop it`, { cause: error });
  }
  const repaired: string[] = [];
  try {
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
 * Starts dynalite (pure-JS DynamoDB emulator) in this process on 127.0.0.1 and an ephemeral port.
 * With a `path`, first repairs tables a killed earlier process left CREATING (see
 * {@link finishInterruptedTableCreations}).
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
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
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
