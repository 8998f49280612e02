import type { ManifestItem } from '../../../lambdas/lib/plan';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { processBatch, type BatchOutcome } from '../../../lambdas/lib/worker';
import type { TargetItem } from '../../../lambdas/transforms/Transform';
import { sourceLines } from './doubler';
import type { Emulators } from '../../support';
import { createFixture, type Fixture, type FixtureOptions } from './fixture';

/**
 * The target as live traffic and an earlier buggy run left it, before the backfill of
 * {@link SCENARIO_LINES} (25 records at version 2, n = 1..25, so `doubled` should be 2n):
 */
export const SCENARIO_SEEDS: readonly TargetItem[] = [
  // same version, wrong value (the bug being fixed): rewritten
  { id: 'item-0001', version: 2, doubled: 999 },
  // older version: rewritten
  { id: 'item-0002', version: 1, doubled: 4 },
  // already right: unchanged, no write
  { id: 'item-0003', version: 2, doubled: 6 },
  // live traffic wrote a newer version: left alone
  { id: 'item-0004', version: 3, doubled: -4, writer: 'live' },
  // in the second batch, older version: rewritten
  { id: 'item-0012', version: 1, doubled: 0 },
];

export const SCENARIO_LINES: readonly string[] = sourceLines(25, 2);

/** Batch size of the scenario: batches b0000000 (items 1–10), b0000001 (11–20), b0000002 (21–25). */
export const SCENARIO_BATCH_SIZE = 10;

/** What one clean run does to the first batch (items 1–10) of the scenario. */
export const FIRST_BATCH_COUNTS = { read: 10, malformed: 0, produced: 10, written: 8, created: 6, unchanged: 1, skippedNewer: 1, skippedChanged: 0 };

/** What one clean run does to each batch of the scenario. */
export const SCENARIO_COUNTS = [
  FIRST_BATCH_COUNTS,
  { read: 10, malformed: 0, produced: 10, written: 10, created: 9, unchanged: 0, skippedNewer: 0, skippedChanged: 0 },
  { read: 5, malformed: 0, produced: 5, written: 5, created: 5, unchanged: 0, skippedNewer: 0, skippedChanged: 0 },
];

/** Target writes one clean run makes in the first batch (items 1, 2, 5–10). */
export const FIRST_BATCH_WRITES = 8;

export interface Scenario {
  readonly f: Fixture;
  readonly items: ManifestItem[];
  /** The target before the backfill, as a dump. */
  readonly before: string;
}

/** A fixture with the seeds in its target and the scenario's source planned. */
export async function createScenario(env: Emulators, options: FixtureOptions = {}): Promise<Scenario> {
  const f = await createFixture(env, { batchSize: SCENARIO_BATCH_SIZE, ...options });
  for (const seed of SCENARIO_SEEDS) await f.putTarget(seed);
  const items = await f.plan(SCENARIO_LINES);
  return { f, items, before: await f.dumpTarget() };
}

/** Processes the batches one after another as one attempt. */
export async function processAll(f: Fixture, items: readonly ManifestItem[], owner: string, deps: Deps = f.deps): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const item of items) outcomes.push(await processBatch(deps, f.ctx(owner), item));
  return outcomes;
}

/**
 * What one uninterrupted run leaves: the same scenario and runId (stamps carry it) in fresh tables,
 * every batch processed once. Returns the target dump and each batch's outcome.
 */
export async function oneCleanRun(env: Emulators, runId: string): Promise<{ target: string; outcomes: BatchOutcome[] }> {
  const twin = await createScenario(env, { runId });
  const outcomes = await processAll(twin.f, twin.items, 'clean-run');
  return { target: await twin.f.dumpTarget(), outcomes };
}
