import { listBatches } from '../ledger';
import { batchIdOf } from '../plan';
import type { Deps } from '../runtime/Deps';
import { listGatedMarks } from './gatedMarks';

/** The batches one distributed Map processes: a slice of the plan's sorted batches, grouped into children. */
export interface MapBatches {
  readonly firstBatch: number;
  readonly batchCount: number;
  /** The ItemBatcher's MaxItemsPerBatch (spec.batchesPerWorker). */
  readonly batchesPerWorker: number;
}

/**
 * The map's batches a shut gate left, for a rerun: in a child that recorded a gated mark at its
 * first unfinished batch after that batch's last move, every unfinished batch from there on (the
 * mark is newer, so a FAILED record there is an earlier attempt the map retried into the shut
 * gate); in any other child none of whose batches failed or is held, the batches never claimed. A
 * batch with no record in a child that died was skipped by that failure (counted against the
 * tolerance, as Finalize counts it), so running the map again for it would only fail again.
 * @example
 *   await leftBatches(deps, runId, { firstBatch: 0, batchCount: 10, batchesPerWorker: 1 }); // ['b0000007', 'b0000008', 'b0000009']
 */
export async function leftBatches(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, map: MapBatches): Promise<string[]> {
  const records = new Map((await listBatches(deps, runId)).map((record) => [record.batchId, record]));
  const marks = await listGatedMarks(deps, runId);
  const children = new Map<number, string[]>();
  for (let index = map.firstBatch; index < map.firstBatch + map.batchCount; index++) {
    const child = Math.floor((index - map.firstBatch) / map.batchesPerWorker);
    children.set(child, [...(children.get(child) ?? []), batchIdOf(index)]);
  }
  const left: string[] = [];
  for (const batchIds of children.values()) {
    const unfinished = batchIds.filter((id) => records.get(id)?.status !== 'DONE');
    if (unfinished.length === 0) continue;
    const mark = marks.get(unfinished[0]);
    const lastMove = records.get(unfinished[0])?.updatedAt;
    if (mark && (lastMove === undefined || mark.at >= lastMove)) {
      left.push(...unfinished);
      continue;
    }
    const childDied = batchIds.some((id) => records.get(id)?.status === 'FAILED' || records.get(id)?.status === 'IN_PROGRESS');
    if (!childDied) left.push(...batchIds.filter((id) => !records.has(id)));
  }
  return left;
}
