import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import * as artifacts from '../artifacts';
import { PlanChangedError, pinPlan, requireRun } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { canonicalJson } from '../canonicalJson';
import { planStages } from '../stages';
import { EmptyPlanError, sourceReadError } from './errors';
import { listSourceObjects } from './listSourceObjects';
import { splitIntoBatches } from './splitIntoBatches';
import { batchIdOf, type ManifestItem, type PlanResult } from './ManifestItem';

/**
 * Computes the run's plan — every source object under the spec's prefix and partitions, cut into
 * batches of at most `batchSize` records and `maxBatchBytes` bytes — writes it to S3 as sorted JSONL, and pins its sha256 on the run.
 * With a `rollout`, also writes each stage's slice of the manifest (the same lines) and returns the stages.
 * Deterministic: the same spec and source objects give byte-identical manifests. A resumed run that
 * plans differently is refused (PlanChangedError) before anything is processed.
 * @throws EmptyPlanError when there is no record to process (unless `spec.allowEmpty`);
 *   SourceBucketNotFoundError, SourceBucketAccessDeniedError when the bucket is missing or unreadable.
 * @example
 *   const plan = await buildPlan(deps, 'orders-fix-1', spec); // { planHash, batchCount, ... }
 */
export async function buildPlan(deps: Deps, runId: string, spec: Spec): Promise<PlanResult> {
  const bucket = spec.source.bucket;
  const listing = await listSourceObjects(deps.clients.s3, spec.source).catch((error: unknown) => {
    throw sourceReadError(error, runId, bucket);
  });
  const { objects } = listing;
  const lines: string[] = [];
  const batchRecords: number[] = [];
  let recordCount = 0;
  for (const object of objects) {
    const response = await deps.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key, IfMatch: object.etag })).catch((error: unknown) => {
      throw sourceReadError(error, runId, bucket, object.key);
    });
    const ranges = await splitIntoBatches(response.Body as Readable, spec);
    for (const range of ranges) {
      const item: ManifestItem = { batchId: batchIdOf(lines.length), bucket: spec.source.bucket, key: object.key, etag: object.etag, ...range };
      lines.push(canonicalJson(item));
      batchRecords.push(range.records);
      recordCount += range.records;
    }
  }
  const manifest = jsonl(lines);
  const planHash = createHash('sha256').update(manifest).digest('hex');
  const manifestKey = artifacts.manifestKey({ runId, planHash });
  // Refuse before writing: the pinned manifest object must never be replaced by a different plan.
  const pinned = (await requireRun(deps, runId)).planHash;
  if (pinned !== undefined && pinned !== planHash) throw new PlanChangedError(runId, pinned, planHash);
  // An empty plan is almost always a mistake (a typo in the prefix, a range before the data): it
  // would "succeed" doing nothing. Refused unless the spec says it is expected.
  if (recordCount === 0 && !spec.allowEmpty) {
    throw new EmptyPlanError(runId, spec.source, { underPrefix: listing.underPrefix, inRange: listing.inRange, empty: listing.empty, records: 0 });
  }
  const batchesPerRound = spec.maxConcurrency * spec.batchesPerWorker;
  const stages = spec.rollout ? planStages({ runId, planHash, batchCount: lines.length, batchesPerRound }, spec.rollout) : undefined;
  // Written before pinning: a crash between the two steps leaves nothing the next attempt cannot
  // redo, and an unchanged plan rewrites identical bytes. A stage's map takes its batches largest
  // first, so a small one, not a big one, is what runs last while the other slots idle.
  for (const stage of stages ?? []) {
    const slice = Array.from({ length: stage.batchCount }, (_, i) => stage.firstBatch + i).sort((a, b) => batchRecords[b]! - batchRecords[a]! || a - b);
    await putManifest(deps, stage.manifestKey, jsonl(slice.map((i) => lines[i]!)), planHash);
  }
  await putManifest(deps, manifestKey, manifest, planHash);
  await pinPlan(deps, runId, { planHash, manifestKey, batchCount: lines.length, recordCount });
  const plan: PlanResult = { manifestBucket: deps.artifactsBucket, manifestKey, planHash, batchCount: lines.length, recordCount, objectCount: objects.length };
  return stages ? { ...plan, stages } : plan;
}

const jsonl = (lines: readonly string[]): string => (lines.length > 0 ? `${lines.join('\n')}\n` : '');

async function putManifest(deps: Deps, key: string, body: string, planHash: string): Promise<void> {
  await deps.clients.s3.send(
    new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/x-ndjson', Metadata: { planhash: planHash } }),
  );
}
