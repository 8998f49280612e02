import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a data dir remembers its approval page's port, so links sent before a restart still reach the page. */
export const PAGE_PORT_FILE = 'approval-page-port';

/**
 * The port the data dir's approval page last listened on, or undefined (none yet, or unreadable:
 * then an ephemeral port is as good).
 * @example
 *   rememberedPagePort('.backfill-local'); // 41873
 */
export function rememberedPagePort(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, PAGE_PORT_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  return port >= 1024 && port <= 65535 ? port : undefined;
}

/**
 * Remembers the page's port in the data dir (written whole: a temp file renamed into place).
 * @example
 *   rememberPagePort('.backfill-local', server.port);
 */
export function rememberPagePort(dataDir: string, port: number): void {
  const path = join(dataDir, PAGE_PORT_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${port}\n`);
  renameSync(temp, path);
}
