import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { runPk } from '../ledger/keys';
import { queryRunPartition } from '../ledger/queryRunPartition';
import type { Deps } from '../runtime/Deps';

const GATED_SK_PREFIX = 'GATED#';

/** Where a child stopped at a shut gate: its first batch left unclaimed, and when. */
export interface GatedMark {
  readonly batchId: string;
  readonly at: string;
}

/**
 * Records that a child left `batchId` (and the rest of its batches) at a shut gate. One write per
 * gated child, none per batch: it lets CheckGate tell a child the gate stopped, whose earlier
 * attempt left the batch FAILED before the map retried it, from a child that died.
 * @example
 *   await recordGatedBatch(deps, runId, 'b0000004');
 */
export async function recordGatedBatch(deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>, runId: string, batchId: string): Promise<void> {
  const at = new Date(deps.clock.nowMs()).toISOString();
  await deps.clients.ddb.send(new PutCommand({ TableName: deps.ledgerTable, Item: { pk: runPk(runId), sk: `${GATED_SK_PREFIX}${batchId}`, batchId, at } }));
}

/**
 * The latest gated mark of each batch a child stopped at.
 * @example
 *   (await listGatedMarks(deps, runId)).get('b0000004'); // { batchId: 'b0000004', at: '2026-…' }
 */
export async function listGatedMarks(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<Map<string, GatedMark>> {
  const records = (await queryRunPartition(deps, runId, GATED_SK_PREFIX)) as unknown as GatedMark[];
  return new Map(records.map((mark) => [mark.batchId, mark]));
}
