import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { TargetItem } from '../../transforms/Transform';
import { batchConflictsKey } from '../artifacts';
import { canonicalJson } from '../canonicalJson';
import type { ConflictReason } from './classifyEntry';
import { diffItems, type AttributeChange } from './diffItems';

/** An item rollback left alone because it is not as the run left it. */
export interface Conflict {
  readonly batchId: string;
  readonly key: Record<string, unknown>;
  /** What the run wrote (null: the snapshot does not say, e.g. a later attempt wrote a key the first one left alone). */
  readonly wrote: TargetItem | null;
  /** What is there now (null: the item was deleted). */
  readonly now: TargetItem | null;
  readonly reason: ConflictReason;
  /** With `written-by-later-run`: the run whose stamp the item carries. */
  readonly laterRunId?: string;
  /** The attributes that differ from what the run wrote (or, when the snapshot does not say, from the pre-run state) to what is there now. */
  readonly changes: readonly AttributeChange[];
}

/**
 * The conflict record of one entry, with its attribute-level differences.
 * @example
 *   conflictOf({ batchId, key, wrote, now, reason: 'changed-since-run', original }); // { ..., changes: [{ path: 'totalCents', ... }] }
 */
export function conflictOf(input: { batchId: string; key: Record<string, unknown>; wrote: TargetItem | null; original: TargetItem | null; now: TargetItem | null; reason: ConflictReason; laterRunId?: string }): Conflict {
  const { batchId, key, wrote, now, reason, laterRunId } = input;
  return { batchId, key, wrote, now, reason, ...(laterRunId !== undefined ? { laterRunId } : {}), changes: diffItems(wrote ?? input.original, now) };
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
