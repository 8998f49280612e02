import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { runPk } from './keys';

/** Every record of a run whose sort key starts with `prefix`, in sort-key order, without pk/sk. */
export async function queryRunPartition(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, prefix: string): Promise<Record<string, unknown>[]> {
  return queryPartition(deps, runPk(runId), prefix);
}

/**
 * Every record of the ledger partition `pk` whose sort key starts with `prefix`, in sort-key order,
 * without pk/sk (a run's partition, or the breaker's).
 * @example
 *   const events = await queryPartition(deps, 'BREAKER', 'AUDIT#');
 */
export async function queryPartition(deps: Pick<Deps, 'clients' | 'ledgerTable'>, pk: string, prefix: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.ddb.send(
      new QueryCommand({
        TableName: deps.ledgerTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const { pk: _pk, sk: _sk, ...record } of page.Items ?? []) records.push(record);
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}
