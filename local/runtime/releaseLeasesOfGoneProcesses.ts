import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { findLiveLeases, releaseAbandonedLeases, type BatchRecordKind, type ReleasedLease } from '../../lambdas/lib/ledger';
import { ROLLBACK_SK_PREFIX } from '../../lambdas/lib/ledger/keys';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/** The leases released on one run's batch (or rollback) records. */
export interface ReleasedRunLeases {
  readonly runId: string;
  readonly kind: BatchRecordKind;
  readonly leases: readonly ReleasedLease[];
}

export const GONE_PROCESS_REASON = 'the process that held them is gone (this process holds the data dir lock)';

/**
 * Expires every batch and rollback lease in the local ledger. Only for a process that holds the data
 * dir's lock: no other process can be working on this ledger then, so every lease in it belongs to a
 * process that died (kill -9, a crash) and would only make the resume wait until it runs out.
 * @returns what was released, per run and record kind
 */
export async function releaseLeasesOfGoneProcesses(deps: Deps): Promise<ReleasedRunLeases[]> {
  const released: ReleasedRunLeases[] = [];
  for (const { runId, kind } of await runsWithLeases(deps)) {
    const leases = await releaseAbandonedLeases(deps, runId, GONE_PROCESS_REASON, kind);
    if (leases.length > 0) released.push({ runId, kind, leases });
  }
  return released;
}

/**
 * The leases {@link releaseLeasesOfGoneProcesses} would expire now, without writing anything (a
 * rehearsal says what the rollback would take over). Same precondition: the data dir's lock is held.
 * @example
 *   const wouldTakeOver = await findLeasesOfGoneProcesses(env.deps);
 */
export async function findLeasesOfGoneProcesses(deps: Deps): Promise<ReleasedRunLeases[]> {
  const found: ReleasedRunLeases[] = [];
  for (const { runId, kind } of await runsWithLeases(deps)) {
    const leases = await findLiveLeases(deps, runId, kind);
    if (leases.length > 0) found.push({ runId, kind, leases });
  }
  return found;
}

/** The runs (and record kinds) with an IN_PROGRESS record that carries a lease, in runId order. */
async function runsWithLeases(deps: Deps): Promise<Array<{ runId: string; kind: BatchRecordKind }>> {
  const leased = new Map<string, { runId: string; kind: BatchRecordKind }>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.ddb.send(
      new ScanCommand({
        TableName: deps.ledgerTable,
        FilterExpression: '#status = :inProgress AND attribute_exists(leaseOwner)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS' },
        ProjectionExpression: 'runId, sk',
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const runId = item.runId as string;
      const kind: BatchRecordKind = String(item.sk).startsWith(ROLLBACK_SK_PREFIX) ? 'rollback' : 'batch';
      leased.set(`${kind} ${runId}`, { runId, kind });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return [...leased.values()].sort((a, b) => a.runId.localeCompare(b.runId) || a.kind.localeCompare(b.kind));
}
