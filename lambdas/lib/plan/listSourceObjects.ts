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

/**
 * Source objects under the spec's prefix, sorted by key, limited to the spec's dt= partition range.
 * Lists without a delimiter (s3rver drops nested prefixes from delimited listings) and skips empty
 * "folder" objects.
 */
export async function listSourceObjects(s3: S3Client, source: Spec['source']): Promise<SourceObject[]> {
  const objects: SourceObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: source.bucket, Prefix: source.prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      if (!object.Key || object.Key.endsWith('/') || !object.Size) continue;
      if (source.partitions) {
        const date = partitionDateOf(object.Key);
        if (!date || date < source.partitions.from || date > source.partitions.to) continue;
      }
      objects.push({ key: object.Key, etag: object.ETag ?? '', size: object.Size });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
