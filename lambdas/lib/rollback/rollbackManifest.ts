import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { rollbackManifestKey } from '../artifacts';
import { canonicalJson } from '../canonicalJson';
import { listBatches } from '../ledger';
import type { Deps } from '../runtime/Deps';

/** One line of a rollback manifest: a batch that recorded a snapshot, and that snapshot as the ledger recorded it. */
export const RollbackManifestItemSchema = z
  .object({
    batchId: z.string().regex(/^b\d{7}$/),
    snapshotKey: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    itemCount: z.number().int().min(0),
  })
  .strict();
export type RollbackManifestItem = z.infer<typeof RollbackManifestItemSchema>;

/** Where a rollback manifest is: what LoadRollback returns into the state (never the manifest itself). */
export const RollbackManifestRefSchema = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  batchCount: z.number().int().min(0),
  entryCount: z.number().int().min(0),
});
export type RollbackManifestRef = z.infer<typeof RollbackManifestRefSchema>;

/**
 * Writes the manifest of a run's rollback: one line per batch whose snapshot the ledger recorded
 * (batches that never wrote have none and need nothing), in batchId order, each with the recorded
 * snapshot key, sha256 and entry count. Deterministic: the same ledger gives the same bytes.
 * @example
 *   const manifest = await writeRollbackManifest(deps, 'orders-fix-1'); // { key, batchCount, entryCount, ... }
 */
export async function writeRollbackManifest(deps: Deps, runId: string): Promise<RollbackManifestRef> {
  const items: RollbackManifestItem[] = (await listBatches(deps, runId))
    .filter((batch) => batch.snapshot !== undefined)
    .map((batch) => ({ batchId: batch.batchId, snapshotKey: batch.snapshot!.key, sha256: batch.snapshot!.sha256, itemCount: batch.snapshot!.itemCount }));
  const body = items.map((item) => `${canonicalJson(item)}\n`).join('');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const key = rollbackManifestKey({ runId, sha256 });
  await deps.clients.s3.send(
    new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/x-ndjson' }),
  );
  return { bucket: deps.artifactsBucket, key, sha256, batchCount: items.length, entryCount: items.reduce((sum, item) => sum + item.itemCount, 0) };
}

/** Reads a rollback manifest back (FinishRollback checks every line's batch). */
export async function readRollbackManifest(deps: Pick<Deps, 'clients'>, ref: RollbackManifestRef): Promise<RollbackManifestItem[]> {
  const response = await deps.clients.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  const text = await response.Body!.transformToString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => RollbackManifestItemSchema.parse(JSON.parse(line)));
}
