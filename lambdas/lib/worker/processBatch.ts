import { createHash } from 'node:crypto';
import type { Transform, TargetItem } from '../../transforms/Transform';
import { claimBatch, completeBatch, failBatch, recordSnapshot, LeaseKeeper, LeaseLostError, type BatchCounts, type SnapshotRef } from '../ledger';
import type { ManifestItem } from '../plan';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { canonicalJson } from '../canonicalJson';
import { asTargetSchemaMismatch } from './asTargetSchemaMismatch';
import { TransformOutputError } from './errors';
import { mapWithConcurrency } from './mapWithConcurrency';
import { parseRecords } from './parseRecords';
import { writeQuarantine } from './quarantine';
import { readBatchLines } from './readBatchLines';
import { readPreImages } from './readPreImages';
import { writeSnapshot } from './SnapshotStore';
import { stampItem } from './stamps';
import { keyOf, keyProblem, keyString } from './targetKeys';
import { decideWrite, writeTargetItem, type WriteOutcome } from './writeTargetItem';

/** Conditional puts in flight at once within one batch. */
const WRITE_CONCURRENCY = 16;

export interface BatchContext {
  readonly runId: string;
  readonly spec: Spec;
  readonly transform: Transform;
  /** Unique id of this attempt (e.g. the Lambda request id); the lease is held in its name. */
  readonly owner: string;
}

export interface BatchOutcome {
  readonly batchId: string;
  readonly counts: BatchCounts;
  readonly checksum: string;
  /** True when the batch was already DONE and nothing was done now. */
  readonly alreadyDone: boolean;
  readonly attempt: number;
}

interface Recomputed {
  readonly key: Record<string, unknown>;
  readonly item: TargetItem;
}

function recompute(ctx: BatchContext, batchId: string, records: ReturnType<typeof parseRecords>['valid']): { items: Recomputed[]; produced: number } {
  const byKey = new Map<string, Recomputed>();
  let produced = 0;
  for (const { line, record } of records) {
    for (const output of ctx.transform.apply(record)) {
      produced += 1;
      const checked = ctx.transform.outputSchema.safeParse(output);
      if (!checked.success) throw new TransformOutputError(ctx.runId, batchId, line, checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const problem = keyProblem(checked.data, ctx.spec.target);
      if (problem) throw new TransformOutputError(ctx.runId, batchId, line, problem);
      const key = keyOf(checked.data, ctx.spec.target);
      const id = keyString(key);
      const previous = byKey.get(id);
      // Two records for one key in a batch: the higher version wins, ties broken by content, so the
      // outcome never depends on line order.
      if (!previous || newer(checked.data, previous.item, ctx.spec.target.versionAttribute)) byKey.set(id, { key, item: checked.data });
    }
  }
  const items = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
  return { items, produced };
}

function newer(a: TargetItem, b: TargetItem, versionAttribute: string): boolean {
  const va = Number(a[versionAttribute]);
  const vb = Number(b[versionAttribute]);
  return va !== vb ? va > vb : canonicalJson(a) > canonicalJson(b);
}

/**
 * Processes one batch of the plan, safely under retries, duplicates and crashes:
 * claim with a lease → read the source range → quarantine malformed lines → transform → read
 * pre-images → record the snapshot (once, before any write) → write changed items, stamped, each
 * conditional on the stored item still being the pre-image the snapshot holds → complete the batch
 * only while still holding the lease.
 * In dry-run mode it counts what would change and writes nothing to the target.
 * @example
 *   const outcome = await processBatch(deps, { runId, spec, transform, owner: requestId }, manifestItem);
 */
export async function processBatch(deps: Deps, ctx: BatchContext, item: ManifestItem): Promise<BatchOutcome> {
  const claim = await claimBatch(deps, { runId: ctx.runId, batchId: item.batchId, owner: ctx.owner, leaseSeconds: ctx.spec.leaseSeconds });
  if (claim.kind === 'done') {
    return { batchId: item.batchId, counts: claim.record.counts!, checksum: claim.record.checksum!, alreadyDone: true, attempt: claim.record.attempt };
  }
  const keeper = new LeaseKeeper(deps, claim.lease, ctx.spec.leaseSeconds);
  try {
    return await runClaimedBatch(deps, ctx, item, keeper, claim.snapshot);
  } catch (thrown) {
    const error = asTargetSchemaMismatch(thrown, ctx.runId, item.batchId, ctx.spec.target);
    // Record the failure while we still hold the lease; a lost lease means another attempt owns it.
    if (!(error instanceof LeaseLostError)) await failBatch(deps, keeper.lease, error as Error).catch(() => undefined);
    throw error;
  }
}

async function runClaimedBatch(deps: Deps, ctx: BatchContext, item: ManifestItem, keeper: LeaseKeeper, recordedSnapshot: SnapshotRef | undefined): Promise<BatchOutcome> {
  const { spec } = ctx;
  const stamp = { runId: ctx.runId, transform: spec.transform, batchId: item.batchId };
  const lines = await readBatchLines(deps.clients.s3, item, ctx.runId);
  const { valid, malformed } = parseRecords(lines, ctx.transform);
  const quarantineKey = malformed.length > 0 ? await writeQuarantine(deps.clients.s3, deps.artifactsBucket, ctx.runId, item, malformed) : undefined;
  const { items, produced } = recompute(ctx, item.batchId, valid);
  // Eventually consistent: half the read units, and safe because every write is guarded by the
  // pre-image it replaces (a stale read makes the write fail, never overwrite what was not recorded).
  const stored = await readPreImages(deps.clients.ddb, spec.target, items.map((i) => i.key), 'eventual');

  const apply = spec.mode === 'apply';
  if (apply && !recordedSnapshot) {
    await keeper.keep();
    // Every produced key, with what this attempt decides to write (null: nothing), so rollback knows
    // each key's true pre-image even if a later attempt writes a key this one left alone.
    const entries = items.map(({ key, item: recomputed }) => {
      const preImage = stored.get(keyString(key));
      const stamped = stampItem(recomputed, stamp);
      return { key, preImage: preImage ?? null, intended: decideWrite(preImage, stamped, spec.target) === 'write' ? stamped : null };
    });
    const snapshot = await writeSnapshot(deps.clients.s3, deps.artifactsBucket, { runId: ctx.runId, batchId: item.batchId, attempt: keeper.lease.attempt }, entries);
    await recordSnapshot(deps, keeper.lease, snapshot);
  }

  const outcomes = await mapWithConcurrency(items, WRITE_CONCURRENCY, async ({ key, item: recomputed }, index) => {
    if (index % 100 === 0) await keeper.keep();
    const current = stored.get(keyString(key));
    const stamped = stampItem(recomputed, stamp);
    const decision = decideWrite(current, stamped, spec.target);
    if (decision !== 'write') return { outcome: decision as WriteOutcome, postImage: current };
    if (!apply) return { outcome: (current ? 'written' : 'created') as WriteOutcome, postImage: stamped };
    return writeTargetItem(deps.clients.ddb, spec.target, stamped, current);
  });

  const tally = (o: WriteOutcome) => outcomes.filter((x) => x.outcome === o).length;
  const created = tally('created');
  const counts: BatchCounts = {
    read: lines.length,
    malformed: malformed.length,
    produced,
    written: tally('written') + created,
    created,
    unchanged: tally('unchanged'),
    skippedNewer: tally('skippedNewer'),
    skippedChanged: tally('skippedChanged'),
  };
  const hash = createHash('sha256');
  for (const { postImage } of outcomes) hash.update(`${postImage ? canonicalJson(postImage) : 'null'}\n`);
  const checksum = hash.digest('hex');
  await keeper.keep();
  await completeBatch(deps, keeper.lease, { counts, checksum, quarantineKey });
  return { batchId: item.batchId, counts, checksum, alreadyDone: false, attempt: keeper.lease.attempt };
}
