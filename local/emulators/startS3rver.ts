import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EmulatorStateUnreadableError } from './errors';
import { acceptAnyAccessKey, listCommonPrefixesAtAnyDepth, listenFailingOnTakenPort, type S3rverListen, type S3rverListing } from './s3rverFixes';
import { lockedTempDir } from './s3rverTempDir';
import type { RunningEmulator } from './startDynalite';

export interface StartS3rverOptions {
  /** Directory that holds buckets and objects. @default - a fresh temp directory, removed on close */
  readonly directory?: string;
  /** Where the temp directories of in-memory runs go. @default - os.tmpdir() */
  readonly tempRoot?: string;
  /** Port on 127.0.0.1. @default 0 - an ephemeral port */
  readonly port?: number;
  /**
   * Accept requests signed with any access key id, as a local endpoint for any AWS tool should (the
   * AWS CLI with dummy credentials). Process-wide once set: s3rver keeps its key registry in a module.
   * @default false - only s3rver's own S3RVER key; any other is refused with InvalidAccessKeyId (403)
   */
  readonly anyAccessKey?: boolean;
}

/** The parts of s3rver's FilesystemStore (lib/stores/filesystem.js) that are replaced below. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObject(object: { bucket: string; key: string; content: Readable | Buffer; metadata: Record<string, string> }): Promise<{ size: number; md5: string }>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
}

/** Files of a write in flight end with this plus random hex; s3rver lists only names ending in `._S3rver_object`. */
const IN_FLIGHT = '.inflight-';
const IN_FLIGHT_FILE = /\._S3rver_(?:object|object\.md5|metadata\.json)\.inflight-[0-9a-f]+$/;

/** Writes `data` next to `path` and renames it over `path`: a reader (or a later process) sees the old file or the new one, never a torn one. */
async function replaceFile(path: string, data: string | Buffer): Promise<void> {
  const temp = `${path}${IN_FLIGHT}${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Makes one s3rver store's object writes crash-safe (instance-level; s3rver itself is not patched).
 *
 * Why: s3rver 3.7 writes an object in place — it truncates `KEY._S3rver_object` and streams into
 * it, answers once the bytes passed its hashing stream (not once they reached the file), and then
 * rewrites `.md5` and `_metadata.json` in place too. A process killed inside a PUT therefore leaves a
 * truncated object or an empty metadata file. An empty metadata file breaks every listing of the
 * bucket, and s3rver answers HeadBucket by listing it: the bucket then "does not exist" (500) yet
 * cannot be created, on every later run. Here every file is written beside its target and renamed
 * over it, and the PUT answers only after the bytes are in the file, so a kill leaves the whole
 * old object or the whole new one (plus a stray in-flight file that {@link repairStore} removes).
 */
function makeWritesAtomic(store: FilesystemStore): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3Object = require('s3rver/lib/models/object') as { ALLOWED_METADATA: string[] };
  store.putMetadata = async (bucket, key, metadata, md5) => {
    // The same metadata s3rver keeps (FilesystemStore#putMetadata).
    const json: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata)) {
      if (S3Object.ALLOWED_METADATA.includes(name) || name.startsWith('x-amz-meta-')) json[name] = value;
    }
    if (md5) await replaceFile(store.getResourcePath(bucket, key, 'object.md5'), md5);
    await replaceFile(store.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(json, null, 2));
  };
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const temp = `${objectPath}${IN_FLIGHT}${randomBytes(6).toString('hex')}`;
    const hash = createHash('md5');
    let size = 0;
    try {
      if (Buffer.isBuffer(object.content)) {
        hash.update(object.content);
        size = object.content.length;
        await writeFile(temp, object.content);
      } else {
        const count = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            hash.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        // Resolves after the file stream finished: the bytes are in the file, not only hashed.
        await pipeline(object.content, count, createWriteStream(temp));
      }
      const md5 = hash.digest('hex');
      // Dropped before the rename, so a kill between the two never pairs new bytes with the old
      // checksum; s3rver recomputes a missing .md5 from the object on its next read.
      await rm(`${objectPath}.md5`, { force: true });
      await rename(temp, objectPath);
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size, md5 };
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  };
}

/**
 * Repairs what a killed process can have left in an s3rver directory, before s3rver serves it:
 * in-flight files of {@link makeWritesAtomic} (removed), and — in directories written before that
 * existed — metadata files that are not JSON and .md5 files that are not an MD5 (removed; s3rver
 * treats a missing metadata file as default metadata and recomputes a missing .md5 from the
 * object's bytes). Object bytes are never deleted.
 * @returns the paths it removed
 * @throws EmulatorStateUnreadableError when a file stands where s3rver keeps only bucket folders
 */
export async function repairStore(directory: string): Promise<string[]> {
  const removed: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new EmulatorStateUnreadableError(directory, `${dir} is a file, not a folder`, { cause: error });
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      // s3rver would answer such a "bucket" with 500s (UnknownError) on every request to it.
      if (dir === directory && !entry.isDirectory()) throw new EmulatorStateUnreadableError(directory, `${path} is a file, not a bucket folder`);
      if (entry.isDirectory()) {
        await visit(path);
        continue;
      }
      let broken = IN_FLIGHT_FILE.test(entry.name);
      if (!broken && entry.name.endsWith('._S3rver_metadata.json')) {
        try {
          JSON.parse(await readFile(path, 'utf8'));
        } catch {
          broken = true;
        }
      } else if (!broken && entry.name.endsWith('._S3rver_object.md5')) {
        broken = !/^[0-9a-f]{32}$/.test(await readFile(path, 'utf8'));
      }
      if (broken) {
        await rm(path, { force: true });
        removed.push(path);
      }
    }
  };
  await visit(directory);
  return removed;
}

/**
 * Starts s3rver on 127.0.0.1 and the given (or an ephemeral) port. s3rver has no in-memory mode, so without a
 * directory it uses a temp directory and deletes it on close; one a killed process left behind is
 * removed by the next start (see removeAbandonedTempDirs). Object writes are made crash-safe
 * (see {@link makeWritesAtomic}) and a kept directory is repaired first (see {@link repairStore});
 * any access key id is accepted with `anyAccessKey`, and a delimited listing finds prefixes at any depth (s3rverFixes.ts).
 * @throws EmulatorStateUnreadableError when the kept directory is not a folder of bucket folders
 * @throws PortInUseError when `port` is taken
 * Clients must use forcePathStyle and WHEN_REQUIRED checksums (see localS3ClientConfig in local/aws).
 */
export async function startS3rver(options: StartS3rverOptions = {}): Promise<RunningEmulator> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as new (opts: Record<string, unknown>) => {
    store: FilesystemStore & S3rverListing;
    listen: S3rverListen;
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
  };
  const temp = options.directory === undefined ? await lockedTempDir(options.tempRoot ?? tmpdir()) : undefined;
  const directory = options.directory ?? temp!.directory;
  if (!temp) await repairStore(directory);
  if (options.anyAccessKey) acceptAnyAccessKey();
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, silent: true, directory });
  makeWritesAtomic(server.store);
  listenFailingOnTakenPort(server, options.port ?? 0);
  listCommonPrefixesAtAnyDepth(server.store);
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    await temp?.remove();
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      await temp?.remove();
    },
  };
}
