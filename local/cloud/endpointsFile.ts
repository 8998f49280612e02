import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ENDPOINTS_FILE, EndpointsFileSchema, type EndpointsFile } from './endpoints';

/**
 * Writes DIR/endpoints.json beside itself and renames it into place, so a reader polling for it
 * sees no file or the whole file, never a torn one.
 * @example
 *   await writeEndpointsFile('.backfill-local', endpoints);
 */
export async function writeEndpointsFile(dataDir: string, endpoints: EndpointsFile): Promise<string> {
  const path = join(dataDir, ENDPOINTS_FILE);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(EndpointsFileSchema.parse(endpoints), null, 2)}\n`);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return path;
}

/** Removes DIR/endpoints.json if it is there. */
export async function removeEndpointsFile(dataDir: string): Promise<void> {
  await rm(join(dataDir, ENDPOINTS_FILE), { force: true });
}

/**
 * Reads and validates DIR/endpoints.json.
 * @returns undefined when there is no such file (no `local up` is serving that data dir)
 * @example
 *   const endpoints = await readEndpointsFile('.backfill-local');
 */
export async function readEndpointsFile(dataDir: string): Promise<EndpointsFile | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, ENDPOINTS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return EndpointsFileSchema.parse(JSON.parse(text));
}
