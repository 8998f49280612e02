import { benchSpec } from '../benchSpec';
import type { SpecOverrides } from '../jobs';

/**
 * The staged rollout the bench measures, on top of the bench's spec: a canary of 5% of the
 * batches, then waves to 25% and 100%, each gated by ValidateStage (the demo fix changes about a
 * quarter of the items it produces, hence the band). No approval: the bench measures the machine's
 * overhead, not people; a run with one subtracts its wait (see stageTimeline).
 */
export const STAGED_FIELDS = {
  rollout: { canary: { percent: 5 }, waves: [25, 100] },
  validation: { expectedChangePercent: { min: 10, max: 40 }, sampleSize: 20 },
} as const;

/** The bench's spec with `overrides`, staged as {@link STAGED_FIELDS}. */
export function stagedBenchSpec(overrides: Partial<SpecOverrides>): Record<string, unknown> {
  return { ...benchSpec(overrides), ...STAGED_FIELDS };
}
