import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../ledger/isConditionalCheckFailed';
import type { Deps } from '../runtime/Deps';
import { BREAKER_PK, BREAKER_SK, type BreakerRecord } from './BreakerRecord';
import { readBreaker } from './readBreaker';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface OpenBreakerRequest {
  readonly by: string;
  readonly reason: string;
  readonly alarm?: BreakerRecord['alarm'];
  readonly triggeringAlarms?: BreakerRecord['triggeringAlarms'];
}

/**
 * Opens the breaker (conditional on the version read, so one writer wins), audited
 * `BreakerOpened` under the breaker's partition. An open breaker stays as it is.
 * @example
 *   await openBreaker(deps, { by: 'alarm:backfill-health', reason: 'worker errors' }); // { changed: true, breaker }
 */
export async function openBreaker(deps: LedgerDeps, request: OpenBreakerRequest): Promise<{ changed: boolean; breaker: BreakerRecord }> {
  const current = await readBreaker(deps);
  if (current.state === 'OPEN') return { changed: false, breaker: current };
  const at = new Date(deps.clock.nowMs()).toISOString();
  const breaker: BreakerRecord = {
    state: 'OPEN',
    openedAt: at,
    openedBy: request.by,
    reason: request.reason,
    ...(request.alarm ? { alarm: request.alarm } : {}),
    ...(request.triggeringAlarms ? { triggeringAlarms: request.triggeringAlarms } : {}),
    version: current.version + 1,
  };
  try {
    await deps.clients.ddb.send(
      new PutCommand({
        TableName: deps.ledgerTable,
        Item: { pk: BREAKER_PK, sk: BREAKER_SK, ...breaker },
        ConditionExpression: current.version === 0 ? 'attribute_not_exists(pk) OR version = :v' : 'version = :v',
        ExpressionAttributeValues: { ':v': current.version },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) return { changed: false, breaker: await readBreaker(deps) };
    throw error;
  }
  await deps.clients.ddb.send(
    new PutCommand({
      TableName: deps.ledgerTable,
      Item: { pk: BREAKER_PK, sk: `AUDIT#${at}#${randomUUID()}`, type: 'BreakerOpened', at, actor: request.by, detail: { reason: request.reason } },
    }),
  );
  return { changed: true, breaker };
}
