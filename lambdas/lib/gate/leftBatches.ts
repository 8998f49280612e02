import { listBatches } from '../ledger';
import { batchIdOf } from '../plan';
import type { Deps } from '../runtime/Deps';

/** The batches one distributed Map processes: a slice of the plan's sorted batches, grouped into children. */
export interface MapBatches {
  readonly firstBatch: number;
  readonly batchCount: number;
  /** The ItemBatcher's MaxItemsPerBatch (spec.batchesPerWorker). */
  readonly batchesPerWorker: number;
}

/**
 * The map's batches a shut gate left: never claimed (no batch record at all), in a child none of
 * whose batches failed or is held. A gated batch is never claimed; a batch with no record in a
 * child that failed was skipped by that failure (counted against the tolerance, as Finalize
 * counts it), so running the map again for it would only fail again.
 * @example
 *   await leftBatches(deps, runId, { firstBatch: 0, batchCount: 10, batchesPerWorker: 1 }); // ['b0000007', 'b0000008', 'b0000009']
 */
export async function leftBatches(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, map: MapBatches): Promise<string[]> {
  const records = new Map((await listBatches(deps, runId)).map((record) => [record.batchId, record.status]));
  const children = new Map<number, string[]>();
  for (let index = map.firstBatch; index < map.firstBatch + map.batchCount; index++) {
    const child = Math.floor((index - map.firstBatch) / map.batchesPerWorker);
    children.set(child, [...(children.get(child) ?? []), batchIdOf(index)]);
  }
  const left: string[] = [];
  for (const batchIds of children.values()) {
    const childDied = batchIds.some((id) => records.get(id) === 'FAILED' || records.get(id) === 'IN_PROGRESS');
    if (!childDied) left.push(...batchIds.filter((id) => !records.has(id)));
  }
  return left;
}
