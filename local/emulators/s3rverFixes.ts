import type { Server } from 'node:http';
import { PortInUseError } from './errors';

/*
 * Instance-level fixes of s3rver 3.7 (s3rver itself is not patched on disk) that let tools nobody
 * here wrote (the AWS CLI, an SDK with dummy credentials) use it as they use S3.
 */

/** The part of s3rver's account registry (lib/models/account.js) its authentication reads. */
interface S3rverAccounts {
  registry: Map<string, unknown>;
  DUMMY_ACCOUNT: unknown;
}

/**
 * Makes s3rver take any access key id as its one account, as dynalite does. Why: s3rver knows only
 * `S3RVER` and answers every other key 403 InvalidAccessKeyId (it never checks a SigV4 signature),
 * so the AWS CLI or an SDK with the usual dummy credentials of a local endpoint would be refused.
 * The registry is s3rver's module state: every s3rver of this process then accepts any key.
 */
export function acceptAnyAccessKey(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const accounts = require('s3rver/lib/models/account') as S3rverAccounts;
  const { registry } = accounts;
  if ((registry as { anyKey?: boolean }).anyKey) return;
  const known = registry.get.bind(registry);
  registry.get = (accessKeyId: string) => known(accessKeyId) ?? accounts.DUMMY_ACCOUNT;
  (registry as { anyKey?: boolean }).anyKey = true;
}

/** The part of s3rver's own `listen` (lib/s3rver.js) replaced below. */
export type S3rverListen = (port: number, address: string, callback: () => void) => Server;

/**
 * Makes s3rver's listen fail with a PortInUseError instead of crashing the process. Why: s3rver 3.7
 * awaits a listen callback that Node never calls with an error, so a taken port emits an unhandled
 * 'error' event on its http server, which ends the process.
 */
export function listenFailingOnTakenPort(server: { listen: S3rverListen }, port: number): void {
  const listen = server.listen.bind(server);
  (server as unknown as { listen: (...args: unknown[]) => Promise<Server> }).listen = () =>
    new Promise<Server>((resolve, reject) => {
      const http = listen(port, '127.0.0.1', () => {
        http.removeListener('error', onError);
        resolve(http);
      });
      const onError = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError('S3', port, { cause: error }) : error);
      http.once('error', onError);
    });
}

/** One object of s3rver's listing (lib/models/object.js): its key is all this reads. */
interface ListedObject {
  readonly key: string;
}

interface ListOptions {
  readonly delimiter?: string;
  readonly prefix?: string;
  readonly startAfter?: string;
  readonly maxKeys?: number;
}

/** The part of s3rver's FilesystemStore (lib/stores/filesystem.js) the listing fix replaces. */
export interface S3rverListing {
  listObjects(bucket: string, options: ListOptions): Promise<{ objects: ListedObject[]; commonPrefixes: string[]; isTruncated: boolean }>;
}

/**
 * Makes a delimited listing (`aws s3 ls s3://bucket/`, ListObjectsV2 with `Delimiter: '/'`) return
 * every common prefix. Why: s3rver skips the folders below a prefix's first level while it walks,
 * so a prefix whose objects all lie deeper (`reports/<runId>/report.json`) is never seen and the
 * listing comes back empty. Here the store lists every key under the prefix without a delimiter and
 * groups them as S3 does; MaxKeys counts objects, as s3rver's own listing does.
 */
export function listCommonPrefixesAtAnyDepth(store: S3rverListing): void {
  const list = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const { delimiter, prefix = '', maxKeys = Infinity } = options;
    if (!delimiter) return list(bucket, options);
    const all = await list(bucket, { ...options, delimiter: undefined, maxKeys: Infinity });
    const commonPrefixes = new Set<string>();
    const objects: ListedObject[] = [];
    let isTruncated = false;
    for (const object of all.objects) {
      const at = object.key.slice(prefix.length).indexOf(delimiter);
      if (at !== -1) commonPrefixes.add(object.key.slice(0, prefix.length + at + delimiter.length));
      else if (objects.length < maxKeys) objects.push(object);
      else isTruncated = true;
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  };
}
