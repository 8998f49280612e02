import { GetObjectCommand } from '@aws-sdk/client-s3';
import { listBatches, type BatchRecord } from '../../ledger';
import { ManifestItemSchema, type ManifestItem, type PlanResult } from '../../plan';
import type { Deps } from '../../runtime/Deps';
import { StageIncompleteError, StageOutsidePlanError } from './errors';
import type { PlannedStage } from '../PlannedStage';

/** A stage's batches as planned and as the ledger recorded them, and what the plan has after it. */
export interface StageBatches {
  /** The stage's manifest items, in plan order. */
  readonly items: readonly ManifestItem[];
  /** Their DONE batch records, in the same order. */
  readonly records: readonly BatchRecord[];
  /** The plan's batches after this stage (what a forecast is for). */
  readonly remaining: { readonly batches: number; readonly records: number };
}

/**
 * Reads the plan's manifest (sorted batches), takes the stage's slice and the stage's batch
 * records from the ledger.
 *
 * @throws StageOutsidePlanError when the stage runs past the plan's end.
 * @throws StageIncompleteError naming the batches of the stage that are not DONE.
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
  const byId = new Map((await listBatches(deps, runId)).map((record) => [record.batchId, record]));
  const records = items.map((item) => byId.get(item.batchId));
  const notDone = items.flatMap((item, i) => (records[i]?.status === 'DONE' ? [] : [{ batchId: item.batchId, status: records[i]?.status ?? 'not started' }]));
  if (notDone.length > 0) throw new StageIncompleteError(runId, stage.name, notDone);
  const after = planned.slice(end);
  return { items, records: records as BatchRecord[], remaining: { batches: after.length, records: after.reduce((sum, item) => sum + item.records, 0) } };
}
