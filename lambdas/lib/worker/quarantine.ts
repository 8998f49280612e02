import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { quarantineKey } from '../artifacts';
import type { ManifestItem } from '../plan';
import type { MalformedRecord } from './parseRecords';

/** Stores a batch's malformed records with their reasons; the same batch always maps to the same key. */
export async function writeQuarantine(s3: S3Client, bucket: string, runId: string, item: ManifestItem, malformed: readonly MalformedRecord[]): Promise<string> {
  const key = quarantineKey({ runId, batchId: item.batchId });
  const body = malformed.map((m) => `${JSON.stringify({ source: `s3://${item.bucket}/${item.key}`, ...m })}\n`).join('');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
  return key;
}
