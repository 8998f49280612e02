import * as artifacts from '../artifacts';
import { decimalOf } from '../evidence/exactSum';
import type { Rollout } from '../spec';
import { CANARY_STAGE_NAME, type PlannedStage } from './PlannedStage';

/** The plan a rollout is cut from. */
export interface StagedPlan {
  readonly runId: string;
  readonly planHash: string;
  readonly batchCount: number;
  /**
   * Batches a stage's map runs at once (`maxConcurrency × batchesPerWorker`): stages are cut to
   * whole rounds of it where they can be (see {@link planStages}).
   * @default - stages are not rounded
   */
  readonly batchesPerRound?: number;
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

/**
 * `size` batches rounded up to whole rounds of `perRound`, unless that would more than double
 * them or take more than `room`: a stage's map waits for its last batch, so a part-filled last
 * round leaves slots idle, and the run pays for it once per stage.
 */
function wholeRounds(size: number, perRound: number, room: number): number {
  const rounded = Math.ceil(size / perRound) * perRound;
  return rounded <= room && rounded <= 2 * size ? rounded : size;
}

/** How many batches the canary writes: at least 1, and at most all but one (something is left to gate). */
function canaryBatchCount(rollout: Rollout, batchCount: number, perRound: number): number {
  const wanted = rollout.canary.batches ?? ceilPercentOf(rollout.canary.percent ?? 0, batchCount);
  const count = Math.max(1, Math.min(wanted, batchCount - 1));
  // A number of batches is the user's exact choice; a percentage is rounded to whole rounds.
  return rollout.canary.batches === undefined ? wholeRounds(count, perRound, batchCount - 1) : count;
}

/**
 * Cuts a plan's sorted batches into the rollout's stages: the canary (`canary.batches`, or
 * `canary.percent` of the batches rounded up; at least 1 and at most all but one), then one wave
 * per entry of `waves` ending at that cumulative percentage rounded up (never before the stage
 * before it). With `batchesPerRound`, a percent canary and each wave but the last are rounded up
 * to whole rounds of the map (unless that more than doubles the stage or runs past the plan), so
 * no stage ends on a part-filled round while slots idle. A wave that would get no batch is left
 * out; the others keep the spec's 1-based wave number. A plan of one batch is its canary alone;
 * an empty plan has no stage. Pure and deterministic: the same plan and rollout always give the
 * same stages.
 * @example
 *   planStages({ runId: 'r1', planHash: 'ab12', batchCount: 10 }, { canary: { batches: 1 }, waves: [50, 100] });
 *   // canary b0..b0 (10%), wave-1 b1..b4 (50%), wave-2 b5..b9 (100%)
 *   planStages({ runId: 'r1', planHash: 'ab12', batchCount: 50, batchesPerRound: 2 }, { canary: { percent: 5 }, waves: [25, 100] });
 *   // canary b0..b3 (8%: 3 batches rounded to 2 rounds of 2), wave-1 b4..b13 (28%), wave-2 b14..b49
 */
export function planStages(plan: StagedPlan, rollout: Rollout): PlannedStage[] {
  const { runId, planHash, batchCount, batchesPerRound = 1 } = plan;
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
  const canaryEnd = canaryBatchCount(rollout, batchCount, batchesPerRound);
  const stages = [stage(CANARY_STAGE_NAME, 'canary', 0, 0, canaryEnd)];
  let end = canaryEnd;
  rollout.waves.forEach((percent, i) => {
    const wanted = Math.min(batchCount, Math.max(end, ceilPercentOf(percent, batchCount)));
    if (wanted === end) return;
    const waveEnd = end + wholeRounds(wanted - end, batchesPerRound, batchCount - end);
    stages.push(stage(`wave-${i + 1}`, 'wave', stages.length, end, waveEnd));
    end = waveEnd;
  });
  return stages;
}
