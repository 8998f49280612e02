import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { appendAudit } from './audit';
import { listBatches, type BatchRecordKind } from './batchRecords';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { batchSk, rollbackSk, runPk } from './keys';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** A lease {@link releaseAbandonedLeases} expired: whose it was and until when it would have held. */
export interface ReleasedLease {
  readonly batchId: string;
  readonly owner: string;
  readonly attempt: number;
  readonly leaseExpiresAtMs: number;
}

/**
 * The live leases on the run's IN_PROGRESS batch records (`kind: 'rollback'`: its rollback records),
 * in batchId order: what {@link releaseAbandonedLeases} would expire now. Reads only.
 * @example
 *   const held = await findLiveLeases(deps, runId);
 */
export async function findLiveLeases(deps: LedgerDeps, runId: string, kind: BatchRecordKind = 'batch'): Promise<ReleasedLease[]> {
  const nowMs = deps.clock.nowMs();
  return (await listBatches(deps, runId, kind))
    // An expired lease needs no release: a claim takes it over anyway.
    .filter((r) => r.status === 'IN_PROGRESS' && r.leaseOwner !== undefined && r.leaseExpiresAtMs !== undefined && r.leaseExpiresAtMs >= nowMs)
    .map((r) => ({ batchId: r.batchId, owner: r.leaseOwner!, attempt: r.attempt, leaseExpiresAtMs: r.leaseExpiresAtMs! }));
}

/**
 * Expires every live lease on the run's IN_PROGRESS batch records (`kind: 'rollback'`: its rollback
 * records), so the next claim takes each batch over at once instead of waiting out the lease. The
 * status stays IN_PROGRESS and a recorded snapshot stays authoritative: only the lease ends.
 *
 * Only for a caller that can prove the holders are gone: the local runtime holding its data dir's
 * lock (an OS lock released when the process that held it died). On AWS nothing proves a worker
 * dead, so leases simply expire there. Each release is a conditional update on the exact lease
 * read (owner and expiry), so a lease renewed or taken over meanwhile is left alone; each is
 * audited (`LeaseReleased`, with the reason).
 * @returns the leases it expired, in batchId order
 * @example
 *   await releaseAbandonedLeases(deps, runId, 'the process that held the data dir lock is gone');
 */
export async function releaseAbandonedLeases(deps: LedgerDeps, runId: string, reason: string, kind: BatchRecordKind = 'batch'): Promise<ReleasedLease[]> {
  const nowMs = deps.clock.nowMs();
  const released: ReleasedLease[] = [];
  for (const lease of await findLiveLeases(deps, runId, kind)) {
    try {
      await deps.clients.ddb.send(
        new UpdateCommand({
          TableName: deps.ledgerTable,
          Key: { pk: runPk(runId), sk: kind === 'batch' ? batchSk(lease.batchId) : rollbackSk(lease.batchId) },
          // One millisecond in the past: a claim needs the lease to have passed (`leaseExpiresAtMs < now`).
          UpdateExpression: 'SET leaseExpiresAtMs = :expired, updatedAt = :now',
          ConditionExpression: '#status = :inProgress AND leaseOwner = :owner AND leaseExpiresAtMs = :seen',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':expired': nowMs - 1,
            ':now': new Date(nowMs).toISOString(),
            ':inProgress': 'IN_PROGRESS',
            ':owner': lease.owner,
            ':seen': lease.leaseExpiresAtMs,
          },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) continue;
      throw error;
    }
    await appendAudit(deps, { runId, batchId: lease.batchId, type: 'LeaseReleased', detail: { kind, owner: lease.owner, attempt: lease.attempt, leaseExpiresAtMs: lease.leaseExpiresAtMs, reason } });
    released.push(lease);
  }
  return released;
}
