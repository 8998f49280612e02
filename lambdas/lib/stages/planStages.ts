import * as artifacts from '../artifacts';
import { decimalOf } from '../evidence/exactSum';
import type { Rollout } from '../spec';
import { CANARY_STAGE_NAME, type PlannedStage } from './PlannedStage';

/** The plan a rollout is cut from. */
export interface StagedPlan {
  readonly runId: string;
  readonly planHash: string;
  readonly batchCount: number;
}

/**
 * `ceil(percent% × total)` in exact decimals: 0.07% of 10,000 is 7, where the float product
 * (7.000000000000001) would round up to 8.
 */
function ceilPercentOf(percent: number, total: number): number {
  const { digits, scale } = decimalOf(percent);
  const numerator = digits * BigInt(total);
  const denominator = 100n * 10n ** BigInt(scale);
  return Number((numerator + denominator - 1n) / denominator);
}

/** How many batches the canary writes: at least 1, and at most all but one (something is left to gate). */
function canaryBatchCount(rollout: Rollout, batchCount: number): number {
  const wanted = rollout.canary.batches ?? ceilPercentOf(rollout.canary.percent ?? 0, batchCount);
  return Math.max(1, Math.min(wanted, batchCount - 1));
}

/**
 * Cuts a plan's sorted batches into the rollout's stages: the canary (`canary.batches`, or
 * `canary.percent` of the batches rounded up; at least 1 and at most all but one), then one wave
 * per entry of `waves` ending at that cumulative percentage rounded up (never before the stage
 * before it). A wave that would get no batch is left out; the others keep the spec's 1-based wave
 * number. A plan of one batch is its canary alone; an empty plan has no stage. Pure and
 * deterministic: the same plan and rollout always give the same stages.
 * @example
 *   planStages({ runId: 'r1', planHash: 'ab12', batchCount: 10 }, { canary: { batches: 1 }, waves: [50, 100] });
 *   // canary b0..b0 (10%), wave-1 b1..b4 (50%), wave-2 b5..b9 (100%)
 */
export function planStages(plan: StagedPlan, rollout: Rollout): PlannedStage[] {
  const { runId, planHash, batchCount } = plan;
  if (batchCount === 0) return [];
  const stage = (name: string, kind: PlannedStage['kind'], index: number, firstBatch: number, end: number): PlannedStage => ({
    name,
    kind,
    index,
    firstBatch,
    batchCount: end - firstBatch,
    cumulativePercent: (end * 100) / batchCount,
    manifestKey: artifacts.stageManifestKey({ runId, planHash, stageName: name }),
  });
  const canaryEnd = canaryBatchCount(rollout, batchCount);
  const stages = [stage(CANARY_STAGE_NAME, 'canary', 0, 0, canaryEnd)];
  let end = canaryEnd;
  rollout.waves.forEach((percent, i) => {
    const waveEnd = Math.min(batchCount, Math.max(end, ceilPercentOf(percent, batchCount)));
    if (waveEnd === end) return;
    stages.push(stage(`wave-${i + 1}`, 'wave', stages.length, end, waveEnd));
    end = waveEnd;
  });
  return stages;
}
