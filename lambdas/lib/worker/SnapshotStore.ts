import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TargetItem } from '../../transforms/Transform';
import type { SnapshotRef } from '../ledger';
import { canonicalJson } from '../canonicalJson';

/** One line of a snapshot: the key and the item as it was before the batch wrote (null: it did not exist). */
export interface SnapshotEntry {
  readonly key: Record<string, unknown>;
  readonly preImage: TargetItem | null;
}

/**
 * Where an attempt's snapshot lives. The attempt is part of the key, so a stale attempt can never
 * overwrite the object the ledger recorded.
 */
export const snapshotKeyOf = (runId: string, batchId: string, attempt: number): string => `snapshots/${runId}/${batchId}/attempt-${attempt}.jsonl`;

/** Serializes entries sorted by key, so equal pre-images give equal bytes and checksums. */
export function serializeSnapshot(entries: readonly SnapshotEntry[]): string {
  const lines = entries.map((entry) => ({ sortKey: canonicalJson(entry.key), line: canonicalJson(entry) }));
  lines.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  return lines.map((l) => `${l.line}\n`).join('');
}

/** Stores a batch's pre-images in S3 and returns the reference the ledger records. */
export async function writeSnapshot(
  s3: S3Client,
  bucket: string,
  where: { runId: string; batchId: string; attempt: number },
  entries: readonly SnapshotEntry[],
): Promise<SnapshotRef> {
  const body = serializeSnapshot(entries);
  const sha256 = createHash('sha256').update(body).digest('hex');
  const key = snapshotKeyOf(where.runId, where.batchId, where.attempt);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson', Metadata: { sha256 } }));
  return { key, sha256, itemCount: entries.length };
}
