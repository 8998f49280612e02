import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../ledger/isConditionalCheckFailed';
import type { Deps } from '../runtime/Deps';
import { BREAKER_KEY, breakerRecordOf, type BreakerRecord } from './BreakerRecord';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** What a breaker write changes, and on what condition on the stored record. */
export interface BreakerUpdate {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
  /** The write happens only while the breaker is in this state (`CLOSED` also matches no record). */
  readonly whileState: BreakerRecord['state'];
  /** ...and, when given, only while it is at this version (nothing changed since it was read). */
  readonly whileVersion?: number;
}

/**
 * Updates the breaker record conditionally, incrementing its version.
 * @returns the record after the write, or undefined when the condition refused it.
 * @example
 *   const closed = await updateBreaker(deps, { set: { state: 'CLOSED' }, whileState: 'OPEN', whileVersion: 3 });
 */
export async function updateBreaker(deps: LedgerDeps, update: BreakerUpdate): Promise<BreakerRecord | undefined> {
  const names: Record<string, string> = { '#state': 'state', '#version': 'version' };
  const values: Record<string, unknown> = { ':state': update.whileState, ':zero': 0, ':one': 1 };
  const sets = ['#version = if_not_exists(#version, :zero) + :one'];
  for (const [attribute, value] of Object.entries(update.set)) {
    names[`#${attribute}`] = attribute;
    values[`:set_${attribute}`] = value;
    sets.push(`#${attribute} = :set_${attribute}`);
  }
  const removes = (update.remove ?? []).map((attribute) => {
    names[`#${attribute}`] = attribute;
    return `#${attribute}`;
  });
  const inState = update.whileState === 'CLOSED' ? '(attribute_not_exists(pk) OR #state = :state)' : '#state = :state';
  const conditions = [inState];
  if (update.whileVersion !== undefined) {
    values[':version'] = update.whileVersion;
    conditions.push(update.whileVersion === 0 ? '(attribute_not_exists(#version) OR #version = :version)' : '#version = :version');
  }
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: BREAKER_KEY,
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return breakerRecordOf(Attributes);
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}
