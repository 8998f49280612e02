import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { BREAKER_PK, BREAKER_SK, breakerRecordOf, type BreakerRecord } from './BreakerRecord';

/**
 * The breaker, read strongly consistent; CLOSED (version 0) when it was never opened.
 * @example
 *   const { state } = await readBreaker(deps); // 'CLOSED'
 */
export async function readBreaker(deps: Pick<Deps, 'clients' | 'ledgerTable'>): Promise<BreakerRecord> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: { pk: BREAKER_PK, sk: BREAKER_SK }, ConsistentRead: true }));
  return breakerRecordOf(Item);
}
