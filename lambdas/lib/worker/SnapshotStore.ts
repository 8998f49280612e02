import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { TargetItem } from '../../transforms/Transform';
import { snapshotKey } from '../artifacts';
import type { SnapshotRef } from '../ledger';
import { canonicalJson } from '../canonicalJson';
import { SnapshotIntegrityError } from './errors';

/**
 * One line of a snapshot, for every key the batch's transform produced: the item as it was before
 * the batch wrote (null: it did not exist), and the stamped item the attempt that took the snapshot
 * decided to write (null: it decided not to, because the item was unchanged or newer). Rollback
 * restores `preImage` where the item is still `intended`, and reports `intended` as what the run wrote.
 */
export interface SnapshotEntry {
  readonly key: Record<string, unknown>;
  readonly preImage: TargetItem | null;
  readonly intended: TargetItem | null;
}

const ItemSchema = z.record(z.string(), z.unknown());

/** A snapshot line as stored. Snapshots taken before `intended` existed parse with `intended: null` (unknown). */
export const SnapshotLineSchema = z
  .object({ key: ItemSchema, preImage: ItemSchema.nullable(), intended: ItemSchema.nullable().default(null) })
  .strict();

const isItem = (value: unknown): value is TargetItem => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The line as an entry when it has exactly the shape {@link SnapshotLineSchema} accepts (a subset
 * of what it accepts, so the result is the same), else undefined and the schema says what is wrong.
 * Checked by hand because a stage's evidence and a rollback read every line of every snapshot, and
 * the schema costs several times the JSON parse.
 */
function wellFormedLine(json: unknown): SnapshotEntry | undefined {
  if (!isItem(json)) return undefined;
  for (const field of Object.keys(json)) if (field !== 'key' && field !== 'preImage' && field !== 'intended') return undefined;
  const { key, preImage, intended } = json;
  if (!isItem(key) || (preImage !== null && !isItem(preImage)) || (intended !== undefined && intended !== null && !isItem(intended))) return undefined;
  return { key, preImage, intended: intended ?? null };
}

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
  const key = snapshotKey(where);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/x-ndjson', Metadata: { sha256 } }));
  return { key, sha256, itemCount: entries.length };
}

/**
 * Reads the snapshot the ledger recorded for a batch and checks it: the object exists, its bytes
 * hash to the recorded sha256, every line parses, and it holds the recorded number of entries.
 * @throws SnapshotIntegrityError naming the key and the problem.
 * @example
 *   const entries = await readSnapshot(s3, bucket, { runId, batchId }, batchRecord.snapshot!);
 */
export async function readSnapshot(s3: S3Client, bucket: string, where: { runId: string; batchId: string }, ref: SnapshotRef): Promise<SnapshotEntry[]> {
  const fail = (problem: 'missing' | 'checksum-mismatch' | 'unparseable', detail: string) => new SnapshotIntegrityError(where.runId, where.batchId, ref.key, problem, detail);
  let bytes: Uint8Array;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: ref.key }));
    bytes = await response.Body!.transformToByteArray();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') throw fail('missing', 'no such object');
    throw error;
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== ref.sha256) throw fail('checksum-mismatch', `sha256 ${sha256.slice(0, 12)}…, recorded ${ref.sha256.slice(0, 12)}…`);
  const entries: SnapshotEntry[] = [];
  const lines = Buffer.from(bytes).toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(lines[i]!);
    } catch {
      throw fail('unparseable', `line ${i + 1} is not JSON`);
    }
    const well = wellFormedLine(json);
    if (well) {
      entries.push(well);
      continue;
    }
    const parsed = SnapshotLineSchema.safeParse(json);
    if (!parsed.success) throw fail('unparseable', `line ${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(line)'} ${issue.message}`).join('; ')}`);
    entries.push(parsed.data);
  }
  if (entries.length !== ref.itemCount) throw fail('unparseable', `${entries.length} entries, recorded ${ref.itemCount}`);
  return entries;
}
