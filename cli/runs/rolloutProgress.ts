import { listStages, type RunRecord, type StageRecord, type StageStatus } from '../../lambdas/lib/ledger';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { planStages } from '../../lambdas/lib/stages';

/** One stage of a staged run as `status` shows it: its slice, its status (PENDING: not begun) and its decision. */
export type StageProgress = Pick<StageRecord, 'name' | 'kind' | 'batchCount' | 'cumulativePercent' | 'evidenceKey' | 'failures' | 'approvalId' | 'decision' | 'decidedBy'> & {
  readonly status: StageStatus | 'PENDING';
};

/** A staged run's stages: the current one (the run record's `stage`) and each planned one. */
export interface RolloutProgress {
  readonly current?: { readonly name: string; readonly status: StageStatus };
  readonly stages: readonly StageProgress[];
}

function progressOf(record: StageRecord): StageProgress {
  const { name, kind, status, batchCount, cumulativePercent, evidenceKey, failures, approvalId, decision, decidedBy } = record;
  return { name, kind, status, batchCount, cumulativePercent, evidenceKey, failures, approvalId, decision, decidedBy };
}

/**
 * The rollout of a staged run (spec.rollout): every stage of its plan, from its stage record when
 * begun, else PENDING (recomputed from the pinned plan, as Plan cut it); undefined for a run
 * without a rollout.
 * @example
 *   const rollout = await readRolloutProgress(deps, run); // rollout?.current → { name: 'canary', status: 'AWAITING_APPROVAL' }
 */
export async function readRolloutProgress(deps: Pick<Deps, 'clients' | 'ledgerTable'>, run: RunRecord): Promise<RolloutProgress | undefined> {
  const rollout = run.spec.rollout;
  if (rollout === undefined) return undefined;
  const records = new Map((await listStages(deps, run.runId)).map((record) => [record.name, record]));
  const planned = run.planHash === undefined || run.batchCount === undefined ? [] : planStages({ runId: run.runId, planHash: run.planHash, batchCount: run.batchCount }, rollout);
  const stages: StageProgress[] = planned.map((stage) => {
    const record = records.get(stage.name);
    records.delete(stage.name);
    return record ? progressOf(record) : { name: stage.name, kind: stage.kind, status: 'PENDING', batchCount: stage.batchCount, cumulativePercent: stage.cumulativePercent };
  });
  // A record the plan does not name (none is expected) is still shown, never hidden.
  for (const record of records.values()) stages.push(progressOf(record));
  return { ...(run.stage ? { current: run.stage } : {}), stages };
}
