import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { runPk } from '../ledger/keys';
import type { Deps } from '../runtime/Deps';

const RERUNS_SK = 'GATE#RERUNS';

/** Reruns of a map that left the very same batches, after which CheckGate stops rerunning it. */
export const MAX_RERUNS_WITHOUT_PROGRESS = 3;

/**
 * Counts one more rerun of a map for the batches `left`, and returns how many reruns in a row left
 * exactly these batches (1 when the set changed, i.e. the last rerun made progress). Kept on the
 * run partition (sk GATE#RERUNS) as a digest of the batch ids, so a resumed execution counts on.
 * @example
 *   await countRerun(deps, runId, ['b0000004']); // 1, then 2 if the next rerun leaves b0000004 again
 */
export async function countRerun(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, left: readonly string[]): Promise<number> {
  const digest = createHash('sha256').update(left.join('\n')).digest('hex');
  const found = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: { pk: runPk(runId), sk: RERUNS_SK }, ConsistentRead: true }));
  const count = found.Item?.digest === digest ? Number(found.Item.count) + 1 : 1;
  await deps.clients.ddb.send(new PutCommand({ TableName: deps.ledgerTable, Item: { pk: runPk(runId), sk: RERUNS_SK, digest, count } }));
  return count;
}
