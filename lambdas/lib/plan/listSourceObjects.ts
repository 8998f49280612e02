import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Spec } from '../spec';

export interface SourceObject {
  readonly key: string;
  readonly etag: string;
  readonly size: number;
}

const PARTITION = /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})(?:\/|$)/;

/** The `dt=YYYY-MM-DD` partition of a key, if it has one. */
export function partitionDateOf(key: string): string | undefined {
  return PARTITION.exec(key)?.[1];
}

/** The source objects a plan reads, and what the listing saw around them (for an empty plan's message). */
export interface SourceListing {
  /** Non-empty objects under the prefix within the partition range, sorted by key. */
  readonly objects: SourceObject[];
  /** Objects under the prefix (folder markers not counted). */
  readonly underPrefix: number;
  /** Of those, the ones within the partition range (all of them without a range). */
  readonly inRange: number;
  /** Of those in range, the empty (0-byte) ones, which are not read. */
  readonly empty: number;
}

/**
 * Source objects under the spec's prefix, sorted by key, limited to the spec's dt= partition range.
 * Lists without a delimiter (s3rver drops nested prefixes from delimited listings) and skips empty
 * "folder" objects. S3 errors propagate as the SDK raised them (NoSuchBucket, AccessDenied...).
 * @example
 *   const { objects, underPrefix } = await listSourceObjects(s3, spec.source);
 */
export async function listSourceObjects(s3: S3Client, source: Spec['source']): Promise<SourceListing> {
  const objects: SourceObject[] = [];
  let underPrefix = 0;
  let inRange = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: source.bucket, Prefix: source.prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (!object.Key || object.Key.endsWith('/')) continue;
      underPrefix += 1;
      if (source.partitions) {
        const date = partitionDateOf(object.Key);
        if (!date || date < source.partitions.from || date > source.partitions.to) continue;
      }
      inRange += 1;
      if (!object.Size) continue;
      objects.push({ key: object.Key, etag: object.ETag ?? '', size: object.Size });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { objects, underPrefix, inRange, empty: inRange - objects.length };
}
