import { GetObjectCommand } from '@aws-sdk/client-s3';
import { listBatchesBetween, type BatchRecord } from '../../ledger';
import { ManifestItemSchema, type ManifestItem, type PlanResult } from '../../plan';
import type { Deps } from '../../runtime/Deps';
import { StageIncompleteError, StageOutsidePlanError } from './errors';
import type { PlannedStage } from '../PlannedStage';

/** A stage's batches as planned and as the ledger recorded them, and what the plan has after it. */
export interface StageBatches {
  /** The stage's manifest items, in plan order. */
  readonly items: readonly ManifestItem[];
  /** The DONE batch records, in plan order (a FAILED batch is left out, see `failed`). */
  readonly records: readonly BatchRecord[];
  /** The manifest items of the DONE batches, in the same order as `records`. */
  readonly doneItems: readonly ManifestItem[];
  /** Batches of the stage that FAILED (the map tolerated them), with their errors; any fails the stage's gate. */
  readonly failed: readonly { readonly batchId: string; readonly error: string }[];
  /** The plan's batches after this stage (what a forecast is for). */
  readonly remaining: { readonly batches: number; readonly records: number };
}

/**
 * Reads the plan's manifest (sorted batches), takes the stage's slice and the stage's batch
 * records from the ledger (their sort-key range only). A FAILED batch (the stage's map tolerated
 * it) is listed apart: it is in no check (its items may be written, unseen by the rules), so
 * ValidateStage fails the gate on it.
 *
 * @throws StageOutsidePlanError when the stage runs past the plan's end.
 * @throws StageIncompleteError naming the batches of the stage neither DONE nor FAILED.
 * @example
 *   const { items, records, remaining } = await loadStageBatches(deps, runId, plan, stage);
 */
export async function loadStageBatches(
  deps: Pick<Deps, 'clients' | 'ledgerTable'>,
  runId: string,
  plan: Pick<PlanResult, 'manifestBucket' | 'manifestKey'>,
  stage: PlannedStage,
): Promise<StageBatches> {
  const response = await deps.clients.s3.send(new GetObjectCommand({ Bucket: plan.manifestBucket, Key: plan.manifestKey }));
  const text = await response.Body!.transformToString('utf8');
  const planned = text.split('\n').filter((line) => line !== '').map((line) => ManifestItemSchema.parse(JSON.parse(line)));
  const end = stage.firstBatch + stage.batchCount;
  if (stage.batchCount < 1 || end > planned.length) throw new StageOutsidePlanError(stage.name, stage.firstBatch, stage.batchCount, planned.length);
  const items = planned.slice(stage.firstBatch, end);
  // Only the stage's records, by their sort-key range: a wave's gate does not read the run's other batches.
  const ids = items.map((item) => item.batchId).sort();
  const byId = new Map((await listBatchesBetween(deps, runId, ids[0]!, ids[ids.length - 1]!)).map((record) => [record.batchId, record]));
  const records = items.map((item) => byId.get(item.batchId));
  const unfinished = items.flatMap((item, i) => (records[i]?.status === 'DONE' || records[i]?.status === 'FAILED' ? [] : [{ batchId: item.batchId, status: records[i]?.status ?? 'not started' }]));
  if (unfinished.length > 0) throw new StageIncompleteError(runId, stage.name, unfinished, items.flatMap((item, i) => (records[i]?.status === 'FAILED' ? [item.batchId] : [])));
  const done = items.flatMap((item, i) => (records[i]!.status === 'DONE' ? [{ item, record: records[i]! }] : []));
  const failed = items.flatMap((item, i) => (records[i]!.status === 'FAILED' ? [{ batchId: item.batchId, error: records[i]!.error ?? 'no error recorded' }] : []));
  const after = planned.slice(end);
  return {
    items,
    records: done.map((d) => d.record),
    doneItems: done.map((d) => d.item),
    failed,
    remaining: { batches: after.length, records: after.reduce((sum, item) => sum + item.records, 0) },
  };
}
