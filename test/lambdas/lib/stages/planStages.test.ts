import { stageManifestKey } from '../../../../lambdas/lib/artifacts';
import { RolloutSchema } from '../../../../lambdas/lib/spec';
import { planStages, PlannedStageSchema, type PlannedStage } from '../../../../lambdas/lib/stages';

const HASH = 'c'.repeat(64);

/** The stages of a plan of `batchCount` batches, as [name, firstBatch, batchCount, cumulativePercent]. */
function cut(batchCount: number, rollout: unknown): Array<[string, number, number, number]> {
  return stagesOf(batchCount, rollout).map((s) => [s.name, s.firstBatch, s.batchCount, s.cumulativePercent]);
}
const stagesOf = (batchCount: number, rollout: unknown): PlannedStage[] => planStages({ runId: 'r1', planHash: HASH, batchCount }, RolloutSchema.parse(rollout));

describe('planStages', () => {
  it('cuts a canary of N batches, then waves ending at their cumulative % of the batches', () => {
    // GIVEN 10 batches, a canary of 1 batch and waves [50, 100]
    // THEN the canary is b0, wave-1 b1..b4, wave-2 b5..b9
    expect(cut(10, { canary: { batches: 1 }, waves: [50, 100] })).toEqual([
      ['canary', 0, 1, 10],
      ['wave-1', 1, 4, 50],
      ['wave-2', 5, 5, 100],
    ]);
  });

  it('gives each stage its kind, its index and its slice of the manifest', () => {
    const stages = stagesOf(4, { canary: { batches: 1 }, waves: [100] });
    expect(stages).toEqual([
      { name: 'canary', kind: 'canary', index: 0, firstBatch: 0, batchCount: 1, cumulativePercent: 25, manifestKey: stageManifestKey({ runId: 'r1', planHash: HASH, stageName: 'canary' }) },
      { name: 'wave-1', kind: 'wave', index: 1, firstBatch: 1, batchCount: 3, cumulativePercent: 100, manifestKey: `manifests/r1/${HASH}-wave-1.jsonl` },
    ]);
    for (const stage of stages) expect(PlannedStageSchema.parse(stage)).toEqual(stage);
  });

  it('rounds a percent canary up, so a small plan still gets a canary of at least one batch', () => {
    expect(cut(10, { canary: { percent: 5 }, waves: [100] })[0]).toEqual(['canary', 0, 1, 10]);
    expect(cut(10, { canary: { percent: 11 }, waves: [100] })[0]).toEqual(['canary', 0, 2, 20]);
    expect(cut(3, { canary: { percent: 0.001 }, waves: [100] })[0]?.[2]).toBe(1);
  });

  it('rounds percentages in exact decimals: 0.07% of 10,000 batches is 7, not 8', () => {
    // 0.07 * 10000 / 100 is 7.000000000000001 in floating point
    expect(cut(10_000, { canary: { percent: 0.07 }, waves: [100] })).toEqual([
      ['canary', 0, 7, 0.07],
      ['wave-1', 7, 9_993, 100],
    ]);
  });

  it('caps a canary at all batches but one, so something is left for the waves it gates', () => {
    expect(cut(3, { canary: { batches: 50 }, waves: [100] })).toEqual([
      ['canary', 0, 2, (2 * 100) / 3],
      ['wave-1', 2, 1, 100],
    ]);
    expect(cut(2, { canary: { percent: 99 }, waves: [100] })[0]).toEqual(['canary', 0, 1, 50]);
  });

  it('leaves out waves that would get no batch, keeping the spec\'s wave numbers', () => {
    // GIVEN 4 batches and a canary of 2 (50%): wave 1 at 30% and wave 2 at 50% end inside the canary,
    // wave 3 at 60% rounds up to 3 batches, wave 4 at 70% also ends at 3
    expect(cut(4, { canary: { batches: 2 }, waves: [30, 50, 60, 70, 100] })).toEqual([
      ['canary', 0, 2, 50],
      ['wave-3', 2, 1, 75],
      ['wave-5', 3, 1, 100],
    ]);
    // AND the indexes stay consecutive
    expect(stagesOf(4, { canary: { batches: 2 }, waves: [30, 50, 60, 70, 100] }).map((s) => s.index)).toEqual([0, 1, 2]);
  });

  it('makes a plan of one batch its canary alone', () => {
    expect(cut(1, { canary: { batches: 3 }, waves: [50, 100] })).toEqual([['canary', 0, 1, 100]]);
    expect(cut(1, { canary: { percent: 10 }, waves: [100] })).toEqual([['canary', 0, 1, 100]]);
  });

  it('gives an empty plan no stage', () => {
    expect(cut(0, { canary: { batches: 1 }, waves: [100] })).toEqual([]);
  });

  it('covers every batch exactly once, in order, for any plan size', () => {
    for (let batchCount = 1; batchCount <= 60; batchCount++) {
      for (const rollout of [{ canary: { percent: 7 }, waves: [13, 49.5, 100] }, { canary: { batches: 5 }, waves: [1, 2, 100] }]) {
        const stages = stagesOf(batchCount, rollout);
        const covered = stages.flatMap((s) => Array.from({ length: s.batchCount }, (_, i) => s.firstBatch + i));
        expect(covered).toEqual(Array.from({ length: batchCount }, (_, i) => i));
        expect(stages.at(-1)?.cumulativePercent).toBe(100);
      }
    }
  });

  describe('with batchesPerRound (maxConcurrency × batchesPerWorker), cutting stages to whole rounds', () => {
    const rounded = (batchCount: number, batchesPerRound: number, rollout: unknown) =>
      planStages({ runId: 'r1', planHash: HASH, batchCount, batchesPerRound }, RolloutSchema.parse(rollout)).map((s) => [s.name, s.firstBatch, s.batchCount]);

    it('rounds a percent canary and each wave but the last up to whole rounds: the bench\'s 50 batches on 2 slots', () => {
      // GIVEN 5% of 50 batches (3) and waves to 25% (13) and 100%, 2 batches at a time
      // THEN the canary is 4 batches (2 rounds), wave-1 10 (5 rounds), wave-2 the remaining 36
      expect(rounded(50, 2, { canary: { percent: 5 }, waves: [25, 100] })).toEqual([['canary', 0, 4], ['wave-1', 4, 10], ['wave-2', 14, 36]]);
      // (unrounded: 3, 10 and 37 batches, two stages ending on a half-filled round)
      expect(cut(50, { canary: { percent: 5 }, waves: [25, 100] }).map(([name, first, count]) => [name, first, count])).toEqual([['canary', 0, 3], ['wave-1', 3, 10], ['wave-2', 13, 37]]);
    });

    it('keeps a canary given in batches exactly as given', () => {
      expect(rounded(50, 2, { canary: { batches: 3 }, waves: [100] })[0]).toEqual(['canary', 0, 3]);
    });

    it('does not round a stage past double its size, nor the canary past all batches but one', () => {
      // 5% of 40 is 2 batches: 10 slots would make it 10, five times what was asked
      expect(rounded(40, 10, { canary: { percent: 5 }, waves: [100] })[0]).toEqual(['canary', 0, 2]);
      // 50% of 4 is 2: rounded to 3 on 3 slots (one batch is left for the wave); on 4 slots 4 would leave none
      expect(rounded(4, 3, { canary: { percent: 50 }, waves: [100] })).toEqual([['canary', 0, 3], ['wave-1', 3, 1]]);
      expect(rounded(3, 4, { canary: { percent: 50 }, waves: [100] })).toEqual([['canary', 0, 2], ['wave-1', 2, 1]]);
    });

    it('still covers every batch exactly once, in order', () => {
      for (let batchCount = 1; batchCount <= 60; batchCount++) {
        for (const perRound of [1, 2, 3, 8]) {
          const stages = rounded(batchCount, perRound, { canary: { percent: 7 }, waves: [20, 45, 100] });
          let next = 0;
          for (const [, first, count] of stages) {
            expect(first).toBe(next);
            next = (first as number) + (count as number);
          }
          expect(next).toBe(batchCount);
        }
      }
    });
  });

  it('is deterministic: the same plan and rollout give equal stages', () => {
    const rollout = { canary: { percent: 12.5 }, waves: [40, 100] };
    expect(stagesOf(37, rollout)).toEqual(stagesOf(37, rollout));
  });
});
