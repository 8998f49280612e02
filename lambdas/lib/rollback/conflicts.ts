import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TargetItem } from '../../transforms/Transform';
import { batchConflictsKey } from '../artifacts';
import { canonicalJson } from '../canonicalJson';
import type { ConflictReason } from './classifyEntry';

/** An item rollback left alone because it is not as the run left it. */
export interface Conflict {
  readonly batchId: string;
  readonly key: Record<string, unknown>;
  /** What the run wrote (null: the snapshot does not say, e.g. a later attempt wrote a key the first one left alone). */
  readonly wrote: TargetItem | null;
  /** What is there now (null: the item was deleted). */
  readonly now: TargetItem | null;
  readonly reason: ConflictReason;
}

/** Writes a batch's conflicts, one canonical JSON line each, in key order. */
export async function writeConflicts(s3: S3Client, bucket: string, where: { runId: string; batchId: string; attempt: number }, conflicts: readonly Conflict[]): Promise<string> {
  const key = batchConflictsKey(where);
  const body = conflicts.map((conflict) => `${canonicalJson(conflict)}\n`).join('');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/x-ndjson' }));
  return key;
}

/** Reads a batch's conflict list. */
export async function readConflicts(s3: S3Client, bucket: string, key: string): Promise<Conflict[]> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = await response.Body!.transformToString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Conflict);
}
