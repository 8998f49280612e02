import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { RUN_SK } from '../../lambdas/lib/ledger/keys';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/** One line of `backfill list`. */
export interface RunSummary {
  readonly runId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly transform: string;
  readonly startedBy?: string;
}

/**
 * Every run record of the ledger, newest first, optionally of one status. The ledger keeps each run
 * under its own partition, so this scans for the run records (`sk = RUN`); it reads only those.
 * @example
 *   const failed = await listRuns(deps, { status: 'FAILED' });
 */
export async function listRuns(deps: Pick<Deps, 'clients' | 'ledgerTable'>, filter: { status?: string } = {}): Promise<RunSummary[]> {
  const runs: RunSummary[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.ddb.send(
      new ScanCommand({
        TableName: deps.ledgerTable,
        FilterExpression: filter.status ? 'sk = :run AND #status = :status' : 'sk = :run',
        ExpressionAttributeNames: filter.status ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: { ':run': RUN_SK, ...(filter.status ? { ':status': filter.status } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      runs.push({ runId: item.runId, status: item.status, createdAt: item.createdAt, updatedAt: item.updatedAt, transform: item.transform, startedBy: item.startedBy });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.runId < b.runId ? -1 : 1));
}
