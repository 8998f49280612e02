import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from './startDynalite';

export interface StartS3rverOptions {
  /** Directory that holds buckets and objects. @default - a fresh temp directory, removed on close */
  readonly directory?: string;
}

/**
 * Starts s3rver on 127.0.0.1 and an ephemeral port. s3rver has no in-memory mode, so without a
 * directory it uses a temp directory and deletes it on close.
 * Clients must use forcePathStyle and WHEN_REQUIRED checksums (see {@link localS3ClientConfig}).
 */
export async function startS3rver(options: StartS3rverOptions = {}): Promise<RunningEmulator> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 's3rver-')));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      if (ownsDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}
