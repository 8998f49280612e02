import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** A running DynamoDB emulator on loopback. */
export interface RunningEmulator {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** Directory for the LevelDB store. @default - in memory, discarded on close */
  readonly path?: string;
}

/**
 * Starts dynalite (pure-JS DynamoDB emulator) in this process on 127.0.0.1 and an ephemeral port.
 * @example
 *   const ddb = await startDynalite(); // ... ; await ddb.close();
 */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningEmulator> {
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
