import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { sumCounts } from '../sumCounts';
import { appendAudit } from './audit';
import { BatchLeaseHeldError, LeaseLostError } from './errors';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { queryRunPartition } from './queryRunPartition';
import { BATCH_SK_PREFIX, batchSk, ROLLBACK_SK_PREFIX, rollbackSk, runPk } from './keys';
import type { BatchStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** What one batch did to the target; the worker returns these and Finalize sums them. */
export interface BatchCounts {
  /** Source lines read (valid + malformed). */
  readonly read: number;
  readonly malformed: number;
  /** Target items the transform produced. */
  readonly produced: number;
  /** Items written (in dry-run: that would be written), including created ones. */
  readonly written: number;
  /** Of `written`, items that did not exist before. */
  readonly created: number;
  /** Recomputed item equals the stored one: no write. */
  readonly unchanged: number;
  /** The stored item has a newer version (live traffic): left alone. */
  readonly skippedNewer: number;
  /**
   * Another writer changed the item after the batch read it, to neither a newer version nor the
   * recomputed item: left alone, so nothing the snapshot lacks is overwritten. A later run fixes it.
   */
  readonly skippedChanged: number;
}

export const ZERO_COUNTS: BatchCounts = { read: 0, malformed: 0, produced: 0, written: 0, created: 0, unchanged: 0, skippedNewer: 0, skippedChanged: 0 };

export function addCounts(a: BatchCounts, b: BatchCounts): BatchCounts {
  return sumCounts(a, b);
}

export interface SnapshotRef {
  readonly key: string;
  readonly sha256: string;
  readonly itemCount: number;
}

/**
 * The leased per-batch records of a run: `batch` (the forward batch, `BATCH#<batchId>`) and
 * `rollback` (that batch's rollback, `ROLLBACK#<batchId>`). Both follow BATCH_TRANSITIONS and are
 * claimed, renewed, completed and failed by the same functions.
 */
export type BatchRecordKind = 'batch' | 'rollback';

const RECORD_KINDS: Readonly<Record<BatchRecordKind, { sk: (batchId: string) => string; skPrefix: string; events: { claimed: string; completed: string; failed: string } }>> = {
  batch: { sk: batchSk, skPrefix: BATCH_SK_PREFIX, events: { claimed: 'BatchClaimed', completed: 'BatchCompleted', failed: 'BatchFailed' } },
  rollback: { sk: rollbackSk, skPrefix: ROLLBACK_SK_PREFIX, events: { claimed: 'RollbackBatchClaimed', completed: 'RollbackBatchRestored', failed: 'RollbackBatchFailed' } },
};

/** AWS requests one batch made, and the DynamoDB capacity they consumed (see meterRequests in lambdas/lib/worker). */
export interface MeteredRequests {
  readonly dynamodbReadRequests: number;
  readonly dynamodbWriteRequests: number;
  readonly dynamodbReadUnits: number;
  readonly dynamodbWriteUnits: number;
  /** S3 requests of the GET price class (GetObject, HeadObject, …). */
  readonly s3Gets: number;
  /** S3 requests of the PUT price class (PutObject, List…, …). */
  readonly s3Puts: number;
}

/** What one batch of a staged run measured, for its stage's evidence; metered per batch (one entry per record, not per item). */
export interface BatchUsage extends MeteredRequests {
  /** When the attempt that completed the batch started it, ms since the epoch (the injected clock). */
  readonly startedAtMs: number;
  /** How long that attempt took, ms. */
  readonly durationMs: number;
}

/** A rule violation kept on a batch record: which rule, the item's key, the value and what is wrong. */
export interface BatchRuleSample {
  readonly rule: string;
  readonly key: Readonly<Record<string, unknown>>;
  readonly value: unknown;
  readonly message: string;
}

/**
 * What the worker records on each batch of a staged run (a spec with `rollout`), for ValidateStage:
 * the hash of the items the transform produced (before stamping, in key order), which the
 * determinism re-check compares with a second transform; violations of the transform's rules; and
 * what the batch cost.
 */
export interface BatchEvidence {
  readonly outputHash: string;
  /** Violations per rule name (every declared rule named, 0 included); the rules checked every produced item. */
  readonly ruleViolations: Readonly<Record<string, number>>;
  /** A few violations per rule, smallest key first. */
  readonly ruleSamples: readonly BatchRuleSample[];
  readonly usage: BatchUsage;
  /**
   * The batch's part of its stage's per-attribute diff, JSON of a DiffSummary (lambdas/lib/evidence),
   * which ValidateStage merges instead of reading the snapshot. Absent on batches of older code or
   * whose summary is too big: ValidateStage then reads their snapshot.
   */
  readonly diffSummary?: string;
}

/** A batch record; `Counts` is BatchCounts for forward batches and the rollback's counts for rollback records. */
export interface BatchRecord<Counts = BatchCounts> {
  readonly runId: string;
  readonly batchId: string;
  readonly status: BatchStatus;
  readonly attempt: number;
  readonly leaseOwner?: string;
  readonly leaseExpiresAtMs?: number;
  /** The lease length the holder claimed with. */
  readonly leaseSeconds?: number;
  readonly snapshot?: SnapshotRef;
  readonly counts?: Counts;
  readonly checksum?: string;
  readonly quarantineKey?: string;
  /** Rollback records: where this batch's conflicts are listed, when it had any. */
  readonly conflictsKey?: string;
  /** Forward batches of a staged run: what ValidateStage reads (absent on other runs). */
  readonly evidence?: BatchEvidence;
  readonly error?: string;
  readonly updatedAt: string;
}

/** A lease this attempt holds on a batch; pass it to every later move of the batch. */
export interface Lease {
  readonly runId: string;
  readonly batchId: string;
  readonly owner: string;
  readonly attempt: number;
  readonly expiresAtMs: number;
  /** Which record the lease is on. @default 'batch' */
  readonly kind?: BatchRecordKind;
}

export type ClaimResult<Counts = BatchCounts> =
  | { readonly kind: 'claimed'; readonly lease: Lease; readonly snapshot?: SnapshotRef; readonly takeover: boolean }
  | { readonly kind: 'done'; readonly record: BatchRecord<Counts> };

const key = (runId: string, batchId: string, kind: BatchRecordKind = 'batch') => ({ pk: runPk(runId), sk: RECORD_KINDS[kind].sk(batchId) });

export async function getBatch<Counts = BatchCounts>(
  deps: Pick<Deps, 'clients' | 'ledgerTable'>,
  runId: string,
  batchId: string,
  kind: BatchRecordKind = 'batch',
): Promise<BatchRecord<Counts> | undefined> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: key(runId, batchId, kind), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as BatchRecord<Counts>;
}

/**
 * Claims a batch for one attempt: never claimed, FAILED, or IN_PROGRESS with an expired lease.
 * A DONE batch is reported as done (its counts are final); a live lease of another attempt is refused.
 * `kind: 'rollback'` claims the batch's rollback record instead of the batch itself.
 * @throws BatchLeaseHeldError while another attempt's lease is live (retryable).
 * @example
 *   const claim = await claimBatch(deps, { runId, batchId: 'b000001', owner: randomUUID(), leaseSeconds: 120 });
 */
export async function claimBatch<Counts = BatchCounts>(
  deps: LedgerDeps,
  input: { runId: string; batchId: string; owner: string; leaseSeconds: number; kind?: BatchRecordKind },
): Promise<ClaimResult<Counts>> {
  const { runId, batchId, owner } = input;
  const kind = input.kind ?? 'batch';
  const nowMs = deps.clock.nowMs();
  const expiresAtMs = nowMs + input.leaseSeconds * 1000;
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: key(runId, batchId, kind),
        UpdateExpression:
          'SET #status = :inProgress, attempt = if_not_exists(attempt, :zero) + :one, leaseOwner = :owner, leaseExpiresAtMs = :exp, leaseSeconds = :leaseSeconds, runId = :runId, batchId = :batchId, updatedAt = :now REMOVE #error',
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :failed OR (#status = :inProgress AND leaseExpiresAtMs < :nowMs)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':inProgress': 'IN_PROGRESS',
          ':failed': 'FAILED',
          ':zero': 0,
          ':one': 1,
          ':owner': owner,
          ':exp': expiresAtMs,
          ':leaseSeconds': input.leaseSeconds,
          ':nowMs': nowMs,
          ':runId': runId,
          ':batchId': batchId,
          ':now': new Date(nowMs).toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const record = Attributes as BatchRecord;
    const takeover = record.attempt > 1;
    await appendAudit(deps, { runId, batchId, type: RECORD_KINDS[kind].events.claimed, detail: { attempt: record.attempt, owner } });
    const lease: Lease = { runId, batchId, owner, attempt: record.attempt, expiresAtMs, ...(input.kind ? { kind: input.kind } : {}) };
    return { kind: 'claimed', lease, snapshot: record.snapshot, takeover };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const record = await getBatch<Counts>(deps, runId, batchId, kind);
  if (record?.status === 'DONE') return { kind: 'done', record };
  throw new BatchLeaseHeldError(runId, batchId, { leaseExpiresAtMs: record?.leaseExpiresAtMs ?? nowMs, nowMs, holderAttempt: record?.attempt, leaseSeconds: record?.leaseSeconds });
}

const holdsLease = 'attribute_exists(pk) AND #status = :inProgress AND leaseOwner = :owner';

async function updateHeld(
  deps: LedgerDeps,
  lease: Lease,
  action: string,
  update: { expression: string; names?: Record<string, string>; values?: Record<string, unknown>; extraCondition?: string },
): Promise<Record<string, unknown> | undefined> {
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: key(lease.runId, lease.batchId, lease.kind),
        UpdateExpression: update.expression,
        ConditionExpression: update.extraCondition ? `${holdsLease} AND ${update.extraCondition}` : holdsLease,
        ExpressionAttributeNames: { '#status': 'status', ...update.names },
        ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS', ':owner': lease.owner, ...update.values },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes;
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw new LeaseLostError(lease.runId, lease.batchId, action);
    throw error;
  }
}

/** Extends the lease; fails with LeaseLostError if another attempt took the batch over. */
export async function renewLease(deps: LedgerDeps, lease: Lease, leaseSeconds: number): Promise<Lease> {
  const expiresAtMs = deps.clock.nowMs() + leaseSeconds * 1000;
  await updateHeld(deps, lease, 'renewing the lease', { expression: 'SET leaseExpiresAtMs = :exp', values: { ':exp': expiresAtMs } });
  return { ...lease, expiresAtMs };
}

/**
 * Records the batch's snapshot once. If a snapshot is already recorded (an earlier attempt took
 * it before writing), that one stays authoritative and is returned instead.
 */
export async function recordSnapshot(deps: LedgerDeps, lease: Lease, snapshot: SnapshotRef): Promise<SnapshotRef> {
  try {
    await updateHeld(deps, lease, 'recording the snapshot', {
      // `snapshot` is a DynamoDB reserved word: it must go through an attribute name placeholder.
      expression: 'SET #snapshot = :snapshot',
      names: { '#snapshot': 'snapshot' },
      values: { ':snapshot': snapshot },
      extraCondition: 'attribute_not_exists(#snapshot)',
    });
    await appendAudit(deps, { runId: lease.runId, batchId: lease.batchId, type: 'SnapshotRecorded', detail: { ...snapshot, attempt: lease.attempt } });
    return snapshot;
  } catch (error) {
    if (!(error instanceof LeaseLostError)) throw error;
    const record = await getBatch(deps, lease.runId, lease.batchId);
    if (record?.status === 'IN_PROGRESS' && record.leaseOwner === lease.owner && record.snapshot) return record.snapshot;
    throw error;
  }
}

/**
 * IN_PROGRESS → DONE, only by the attempt holding the lease (fencing). Forward batches record their
 * counts and checksum (and quarantine key); rollback records their counts and conflicts key.
 */
export async function completeBatch<Counts extends object = BatchCounts>(
  deps: LedgerDeps,
  lease: Lease,
  result: { counts: Counts; checksum?: string; quarantineKey?: string; conflictsKey?: string; evidence?: BatchEvidence },
): Promise<void> {
  const sets = ['#status = :done', 'counts = :counts', 'updatedAt = :now'];
  const values: Record<string, unknown> = { ':done': 'DONE', ':counts': result.counts, ':now': new Date(deps.clock.nowMs()).toISOString() };
  for (const field of ['checksum', 'quarantineKey', 'conflictsKey', 'evidence'] as const) {
    if (result[field] === undefined) continue;
    sets.push(`${field} = :${field}`);
    values[`:${field}`] = result[field];
  }
  await updateHeld(deps, lease, 'completing the batch', { expression: `SET ${sets.join(', ')} REMOVE leaseExpiresAtMs`, values });
  const type = RECORD_KINDS[lease.kind ?? 'batch'].events.completed;
  const detail = { attempt: lease.attempt, ...result.counts, ...(result.conflictsKey ? { conflictsKey: result.conflictsKey } : {}) };
  await appendAudit(deps, { runId: lease.runId, batchId: lease.batchId, type, detail });
}

/** IN_PROGRESS → FAILED, only by the attempt holding the lease; a later attempt may claim it again. */
export async function failBatch(deps: LedgerDeps, lease: Lease, error: Error): Promise<void> {
  const message = `${error.name}: ${error.message}`.slice(0, 2000);
  await updateHeld(deps, lease, 'recording the failure', {
    expression: 'SET #status = :failed, #error = :error, updatedAt = :now',
    names: { '#error': 'error' },
    values: { ':failed': 'FAILED', ':error': message, ':now': new Date(deps.clock.nowMs()).toISOString() },
  });
  const type = RECORD_KINDS[lease.kind ?? 'batch'].events.failed;
  await appendAudit(deps, { runId: lease.runId, batchId: lease.batchId, type, detail: { attempt: lease.attempt, error: message } });
}

/**
 * The forward batch records of a run from `firstBatchId` to `lastBatchId` (inclusive), in batchId
 * order: one stage's records, read by their sort-key range instead of the whole run's.
 * @example
 *   await listBatchesBetween(deps, runId, 'b0000004', 'b0000012'); // the 9 records of wave-1 (those that exist)
 */
export async function listBatchesBetween(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, firstBatchId: string, lastBatchId: string): Promise<BatchRecord[]> {
  const records: BatchRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.ddb.send(
      new QueryCommand({
        TableName: deps.ledgerTable,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
        ExpressionAttributeValues: { ':pk': runPk(runId), ':first': batchSk(firstBatchId), ':last': batchSk(lastBatchId) },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const { pk: _pk, sk: _sk, ...record } of page.Items ?? []) records.push(record as unknown as BatchRecord);
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}

/** Every batch record of a run (with `kind: 'rollback'`, every rollback record), in batchId order. */
export async function listBatches<Counts = BatchCounts>(
  deps: Pick<Deps, 'clients' | 'ledgerTable'>,
  runId: string,
  kind: BatchRecordKind = 'batch',
): Promise<BatchRecord<Counts>[]> {
  return (await queryRunPartition(deps, runId, RECORD_KINDS[kind].skPrefix)) as unknown as BatchRecord<Counts>[];
}
