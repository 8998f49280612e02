import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Transform, TargetItem } from '../../transforms/Transform';
import { claimBatch, completeBatch, failBatch, recordSnapshot, LeaseKeeper, LeaseLostError, type BatchCounts, type BatchEvidence, type SnapshotRef } from '../ledger';
import type { ManifestItem } from '../plan';
import { NO_HEALTH, observeTargetHealth, type BatchHealth, type WriteTurns } from '../rate';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { canonicalJson } from '../canonicalJson';
import { asTargetSchemaMismatch } from './asTargetSchemaMismatch';
import { batchDiffSummary, batchRuleChecker, outputHashOfCanonical, type BatchRuleTally } from './batchEvidence';
import { canonicalItem } from './canonicalItem';
import { SnapshotIntegrityError } from './errors';
import { mapWithConcurrency } from './mapWithConcurrency';
import { NO_REQUESTS, startRequestMeter, type RequestMeter } from './meterRequests';
import { decideWrite } from './mergePolicy';
import { parseRecords } from './parseRecords';
import { writeQuarantine } from './quarantine';
import { readBatchLines } from './readBatchLines';
import { readPreImages } from './readPreImages';
import { recomputeItems, type Recomputed } from './recomputeItems';
import { recordedPreImages } from './recordedPreImages';
import { readSnapshot, writeSnapshot, type SnapshotEntry } from './SnapshotStore';
import { stampItem, type Stamp } from './stamps';
import { keyString } from './targetKeys';
import { writeTargetItem, type WriteOutcome } from './writeTargetItem';

/** Conditional puts in flight at once within one batch. */
const WRITE_CONCURRENCY = 16;

export interface BatchContext {
  readonly runId: string;
  readonly spec: Spec;
  readonly transform: Transform;
  /** Unique id of this attempt (e.g. the Lambda request id); the lease is held in its name. */
  readonly owner: string;
  /** The worker's share of spec.maxWritesPerSecond: each target write waits for its turn. @default - no ceiling */
  readonly writeTurns?: WriteTurns;
}

export interface BatchOutcome {
  readonly batchId: string;
  readonly counts: BatchCounts;
  readonly checksum: string;
  /** True when the batch was already DONE and nothing was done now. */
  readonly alreadyDone: boolean;
  readonly attempt: number;
  /** What the batch saw of its target table (throttled attempts, write latency); nothing for a batch already done. */
  readonly health: BatchHealth;
}

/**
 * Processes one batch of the plan, safely under retries, duplicates and crashes:
 * claim with a lease → read the source range → quarantine lines it cannot take (too long, not
 * UTF-8, not JSON, not the transform's input, or whose transform fails or gives a bad item) →
 * transform → read pre-images → record the snapshot (once, before any write; a retry reuses it) →
 * write changed items by the merge policy, stamped, each conditional on the stored item still being
 * the pre-image the snapshot holds → complete the batch only while still holding the lease. A retry
 * counts what an earlier attempt of the batch wrote as written, as an uninterrupted batch would.
 * In dry-run mode it counts what would change and writes nothing to the target.
 * On a staged run (spec.rollout) it also records the batch's evidence: the hash of the items
 * produced, the transform's rule violations and its metered requests (a dry-run also leaves its
 * snapshot, as a shadow of what it would write).
 * @example
 *   const outcome = await processBatch(deps, { runId, spec, transform, owner: requestId }, manifestItem);
 */
export async function processBatch(deps: Deps, ctx: BatchContext, item: ManifestItem): Promise<BatchOutcome> {
  const claim = await claimBatch(deps, { runId: ctx.runId, batchId: item.batchId, owner: ctx.owner, leaseSeconds: ctx.spec.leaseSeconds });
  if (claim.kind === 'done') {
    return { batchId: item.batchId, counts: claim.record.counts!, checksum: claim.record.checksum!, alreadyDone: true, attempt: claim.record.attempt, health: NO_HEALTH };
  }
  // A staged run (spec.rollout) meters each batch's requests for its stage's evidence: from here
  // (the claim is not counted) to the end of the batch's work (completing it is not), lease renewals included.
  const meter = ctx.spec.rollout !== undefined ? startRequestMeter(deps.clients) : undefined;
  const batchDeps = meter ? { ...deps, clients: meter.clients } : deps;
  const keeper = new LeaseKeeper(batchDeps, claim.lease, ctx.spec.leaseSeconds);
  try {
    return await runClaimedBatch(batchDeps, ctx, item, keeper, claim.snapshot, meter);
  } catch (thrown) {
    const error = asTargetSchemaMismatch(thrown, ctx.runId, item.batchId, ctx.spec.target);
    // Record the failure while we still hold the lease; a lost lease means another attempt owns it.
    if (!(error instanceof LeaseLostError)) await failBatch(deps, keeper.lease, error as Error).catch(() => undefined);
    throw error;
  }
}

/** What a batch did before it is completed; the evidence parts only on a staged run. */
interface BatchWork {
  readonly counts: BatchCounts;
  readonly checksum: string;
  readonly quarantineKey?: string;
  readonly staged?: { readonly outputHash: string; readonly rules: BatchRuleTally; readonly diffSummary: string | undefined };
}

async function runClaimedBatch(
  deps: Deps, ctx: BatchContext, item: ManifestItem, keeper: LeaseKeeper, recordedSnapshot: SnapshotRef | undefined, meter: RequestMeter | undefined,
): Promise<BatchOutcome> {
  // A staged run (spec.rollout) meters and checks each batch for its stage's evidence; other runs do exactly what they did.
  const staged = ctx.spec.rollout !== undefined;
  const startedAtMs = deps.clock.nowMs();
  // Only the target table's requests: throttles the SDK's retries hide, and the writes' latency.
  // A write ceiling can space writes further apart than a lease lasts: the lease is kept at each write's turn.
  const { writeTurns } = ctx;
  const turns = writeTurns && { take: () => writeTurns.take().then(() => keeper.keep()) };
  const target = observeTargetHealth(deps.clients.ddb, deps.clock, turns);
  const result = await writeBatch(deps, ctx, item, keeper, recordedSnapshot, staged, target.ddb);
  const health = target.stop();
  const requests = meter ? meter.stop() : NO_REQUESTS;
  const { counts, checksum, quarantineKey } = result;
  const evidence: BatchEvidence | undefined = result.staged && {
    outputHash: result.staged.outputHash,
    ...result.staged.rules,
    usage: { ...requests, startedAtMs, durationMs: deps.clock.nowMs() - startedAtMs },
    ...(result.staged.diffSummary === undefined ? {} : { diffSummary: result.staged.diffSummary }),
  };
  await keeper.keep();
  await completeBatch(deps, keeper.lease, { counts, checksum, quarantineKey, evidence });
  return { batchId: item.batchId, counts, checksum, alreadyDone: false, attempt: keeper.lease.attempt, health };
}

async function writeBatch(
  deps: Deps, ctx: BatchContext, item: ManifestItem, keeper: LeaseKeeper, recordedSnapshot: SnapshotRef | undefined, staged: boolean, targetDdb: DynamoDBDocumentClient,
): Promise<BatchWork> {
  const { spec } = ctx;
  const stamp = { runId: ctx.runId, transform: spec.transform, batchId: item.batchId };
  const { lines, unreadable } = await readBatchLines(deps.clients.s3, item, ctx.runId, spec);
  const parsed = parseRecords(lines, ctx.transform);
  const rules = staged ? batchRuleChecker(ctx.transform, spec) : undefined;
  const { items, produced, rejected } = recomputeItems(ctx.transform, spec.target, parsed.valid, rules && ((produced, source) => rules.add(produced, source)));
  // Every line the batch could not take, whatever the reason, in line order: quarantined and counted malformed.
  const malformed = [...unreadable, ...parsed.malformed, ...rejected].sort((a, b) => a.line - b.line);
  const quarantineKey = malformed.length > 0 ? await writeQuarantine(deps.clients.s3, deps.artifactsBucket, ctx.runId, item, malformed) : undefined;
  // Eventually consistent: half the read units, and safe because every write is guarded by the
  // pre-image it replaces (a stale read makes the write fail, never overwrite what was not recorded).
  const stored = await readPreImages(targetDdb, spec.target, items.map((i) => i.key), 'eventual');

  const apply = spec.mode === 'apply';
  // What the batch's snapshot holds per key: taken now, or — on a retry — the one an earlier attempt
  // recorded, so writes stay guarded by the recorded pre-images and an earlier attempt's writes count.
  const recorded = apply ? await snapshotEntries(deps, { ...stamp, keeper, recordedSnapshot }, ctx.spec, items, stored) : undefined;
  // A staged dry-run leaves the same snapshot as a shadow (nothing is written to the target), so its evidence diffs alike.
  const shadow = !apply && staged ? await snapshotEntries(deps, { ...stamp, keeper, recordedSnapshot }, ctx.spec, items, stored) : undefined;
  // The batch's part of its stage's diff, from what its snapshot holds: ValidateStage merges these instead of re-reading snapshots.
  const snapshotted = recorded ?? shadow;
  const diffSummary = staged && snapshotted ? batchDiffSummary(snapshotted.values(), spec) : undefined;
  const preImageOf = recordedPreImages(deps, ctx.runId);
  // Each item canonicalised once: its text is hashed into outputHash, its stamped text into the checksum.
  const canonical = items.map(({ item: recomputed }) => canonicalItem(recomputed));
  const stampedAt: TargetItem[] = [];

  const outcomes = await mapWithConcurrency(items, WRITE_CONCURRENCY, async ({ key, item: recomputed }, index) => {
    if (index % 100 === 0) await keeper.keep();
    const id = keyString(key);
    const current = stored.get(id);
    const stamped = stampItem(recomputed, stamp);
    stampedAt[index] = stamped;
    if (!recorded) {
      const decision = decideWrite(current, stamped, spec.target);
      if (decision !== 'write') return { outcome: decision as WriteOutcome, postImage: current };
      return { outcome: (current ? 'written' : 'created') as WriteOutcome, postImage: stamped };
    }
    const entry = recorded.get(id);
    if (!entry) throw new SnapshotIntegrityError(ctx.runId, item.batchId, recordedSnapshot?.key ?? '', 'not-recorded', `it has no entry for ${id}, which the batch produces now`);
    return writeTargetItem(targetDdb, spec.target, stamped, entry.preImage ?? undefined, { seen: current, preImageRecordedBy: (batchId) => preImageOf(batchId, id) });
  });

  const tally = (o: WriteOutcome) => outcomes.filter((x) => x.outcome === o).length;
  const created = tally('created');
  const counts: BatchCounts = {
    read: lines.length + unreadable.length,
    malformed: malformed.length,
    produced,
    written: tally('written') + created,
    created,
    unchanged: tally('unchanged'),
    skippedNewer: tally('skippedNewer'),
    skippedChanged: tally('skippedChanged'),
  };
  const hash = createHash('sha256');
  outcomes.forEach(({ postImage }, i) => {
    const text = postImage === undefined ? 'null' : postImage === stampedAt[i] ? canonical[i]!.stamped(stamp) : canonicalJson(postImage);
    hash.update(`${text}\n`);
  });
  const checksum = hash.digest('hex');
  return { counts, checksum, quarantineKey, ...(rules ? { staged: { outputHash: outputHashOfCanonical(canonical.map((c) => c.json)), rules: rules.tally(), diffSummary } } : {}) };
}

/**
 * The batch's snapshot entries by key. The first attempt takes the snapshot — every produced key,
 * its pre-image and what this attempt decides to write (null: nothing), so rollback knows each key's
 * true pre-image even if a later attempt writes a key this one left alone — and records it before
 * any write. A retry reads the recorded one (checked against its sha256) and never replaces it.
 */
async function snapshotEntries(
  deps: Deps,
  batch: Stamp & { readonly keeper: LeaseKeeper; readonly recordedSnapshot: SnapshotRef | undefined },
  spec: Spec,
  items: readonly Recomputed[],
  stored: ReadonlyMap<string, TargetItem>,
): Promise<Map<string, SnapshotEntry>> {
  const { keeper, recordedSnapshot, ...stamp } = batch;
  const where = { runId: stamp.runId, batchId: stamp.batchId };
  let entries: SnapshotEntry[];
  if (recordedSnapshot) {
    entries = await readSnapshot(deps.clients.s3, deps.artifactsBucket, where, recordedSnapshot);
  } else {
    await keeper.keep();
    entries = items.map(({ key, item: recomputed }) => {
      const preImage = stored.get(keyString(key));
      const stamped = stampItem(recomputed, stamp);
      return { key, preImage: preImage ?? null, intended: decideWrite(preImage, stamped, spec.target) === 'write' ? stamped : null };
    });
    const snapshot = await writeSnapshot(deps.clients.s3, deps.artifactsBucket, { ...where, attempt: keeper.lease.attempt }, entries);
    await recordSnapshot(deps, keeper.lease, snapshot);
  }
  return new Map(entries.map((entry) => [keyString(entry.key), entry]));
}
