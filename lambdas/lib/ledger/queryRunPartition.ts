import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { runPk } from './keys';

/** Every record of a run whose sort key starts with `prefix`, in sort-key order, without pk/sk. */
export async function queryRunPartition(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, prefix: string): Promise<Record<string, unknown>[]> {
  const records: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.ddb.send(
      new QueryCommand({
        TableName: deps.ledgerTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': runPk(runId), ':prefix': prefix },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const { pk: _pk, sk: _sk, ...record } of page.Items ?? []) records.push(record);
    start = page.LastEvaluatedKey;
  } while (start);
  return records;
}
