import type { Deps } from '../../runtime/Deps';
import type { StageKind } from '../../stages/PlannedStage';
import { STAGE_SK_PREFIX } from '../keys';
import { queryRunPartition } from '../queryRunPartition';
import type { StageStatus } from '../transitions';

/** A rollout stage's record (`STAGE#<index>#<name>` under the run's partition). */
export interface StageRecord {
  readonly runId: string;
  readonly name: string;
  readonly kind: StageKind;
  readonly index: number;
  readonly status: StageStatus;
  readonly firstBatch: number;
  readonly batchCount: number;
  /** Of the plan's batches, the percentage written once this stage is done. */
  readonly cumulativePercent: number;
  /** The gate's evidence (VALIDATED, GATE_FAILED and on). */
  readonly evidenceKey?: string;
  /** What failed the gate (GATE_FAILED). */
  readonly failures?: readonly string[];
  /** The approval the stage waits for, or waited for. */
  readonly approvalId?: string;
  /** The approvers' outcome (PASSED after an approval, REJECTED) and who decided. */
  readonly decision?: 'APPROVED' | 'REJECTED';
  readonly decidedBy?: readonly string[];
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** What the run record says of its current stage (`run.stage`). */
export interface RunStage {
  readonly name: string;
  readonly status: StageStatus;
}

export type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * The run's stage records in stage order (canary first); empty for an unstaged run or one not yet
 * at its first stage.
 * @example
 *   const stages = await listStages(deps, 'orders-fix-1'); // [{ name: 'canary', status: 'PASSED', ... }, ...]
 */
export async function listStages(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<StageRecord[]> {
  return (await queryRunPartition(deps, runId, STAGE_SK_PREFIX)) as unknown as StageRecord[];
}

/** The record of the run's stage named `name`, if it has one (stages are few: at most 101). */
export async function findStage(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, name: string): Promise<StageRecord | undefined> {
  return (await listStages(deps, runId)).find((stage) => stage.name === name);
}
