import { costOfRun } from '../../bench/cost/costModel';
import type { BackfillResult } from '../../bench/jobs';
import { emptyUsage, usageSince, type ApiUsage } from '../../bench/metering/ApiMeter';
import { LambdaMeter } from '../../bench/metering/LambdaMeter';
import { parseBenchOptions } from '../../bench/options';
import { restUsageOf, type WholeRunReading } from '../../bench/staged/restOfRun';
import type { StagedMeasurement } from '../../bench/staged/StagedMeasurement';
import { stagedPairFigures, summarizeStaged } from '../../bench/staged/summarizeStaged';
import { stagedMarkdown } from '../../bench/report/stagedSection';
import { loadPriceTable } from '../../lambdas/lib/cost/priceTable';
import type { ExecutionStats } from '../../local/engine';

const prices = loadPriceTable();

const api = (getObjects: number, targetWriteUnits: number, ledgerWriteUnits: number): ApiUsage => ({
  requests: { 'S3.GetObject': getObjects, 'DynamoDB.PutItem': targetWriteUnits },
  errors: {},
  dynamodb: {
    target: { readUnits: 0, writeUnits: targetWriteUnits, conditionalFailures: 0, conditionalFailureWriteUnits: 0 },
    ledger: { readUnits: 0, writeUnits: ledgerWriteUnits, conditionalFailures: 0, conditionalFailureWriteUnits: 0 },
  },
});

const engine = (children: number, childMs: number): ExecutionStats => ({
  stateTransitions: 40,
  childExecutions: {
    EXPRESS: { started: children, succeeded: children, failed: 0, aborted: 0, durationMs: childMs, stateTransitions: children * 2 },
    STANDARD: { started: 0, succeeded: 0, failed: 0, aborted: 0, durationMs: 0, stateTransitions: 0 },
  },
  taskInvocations: {},
  maxPayloadBytes: 0,
  mapRuns: [],
});

describe('usageSince', () => {
  it('subtracts an earlier reading per operation, error and table', () => {
    const before = api(2, 10, 3);
    const after = { ...api(7, 40, 9), errors: { 'DynamoDB.PutItem:ConditionalCheckFailedException': 1 } };
    const since = usageSince(after, before);
    expect(since.requests).toEqual({ 'S3.GetObject': 5, 'DynamoDB.PutItem': 30 });
    expect(since.errors).toEqual({ 'DynamoDB.PutItem:ConditionalCheckFailedException': 1 });
    expect(since.dynamodb.target!.writeUnits).toBe(30);
    expect(since.dynamodb.ledger!.writeUnits).toBe(6);
  });
});

describe('LambdaMeter', () => {
  it('gives the calls after a snapshot and names the function a request runs in', async () => {
    // GIVEN
    const meter = new LambdaMeter({ trackCalls: true });
    const seen: Array<string | undefined> = [];
    const worker = meter.wrap('worker', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(meter.currentFunction());
      return null;
    });
    // WHEN
    await worker({});
    const snapshot = meter.snapshot();
    await Promise.all([worker({}), worker({})]);
    // THEN
    expect(snapshot).toEqual({ worker: 1 });
    expect(meter.since(snapshot).worker!.invocations).toBe(2);
    expect(seen).toEqual(['worker', 'worker', 'worker']);
    expect(meter.currentFunction()).toBeUndefined();
  });
  it('lists only the functions that were called (a wrapped, never-called one has no price to look up)', async () => {
    const meter = new LambdaMeter();
    meter.wrap('rollback-load', async () => null);
    await meter.wrap('worker', async () => null)({});
    expect(Object.keys(meter.usage)).toEqual(['worker']);
  });
});

describe('restUsageOf', () => {
  it('keeps what came after the rest began, all of it and the workers\' part', () => {
    // GIVEN a run of 10 children (one worker call each, 100 ms of engine overhead per child), 2 of them in the canary
    const whole: WholeRunReading = {
      records: 10_000,
      batches: 10,
      written: 2_500,
      produced: 9_990,
      engine: engine(10, 10 * 1_000 + 10 * 100),
      api: api(30, 2_500, 100),
      apiByFunction: { worker: api(20, 2_500, 40), plan: api(10, 0, 0) },
      lambdasAfter: { worker: { invocations: 8, durationsMs: Array(8).fill(1_000) }, plan: { invocations: 2, durationsMs: [300, 300] } },
      allWorkerDurationsMs: Array(10).fill(1_000),
    };
    const atRestStart = { api: { total: api(8, 500, 30), byFunction: { worker: api(4, 500, 8) } }, invocations: { worker: 2 } };
    // WHEN
    const rest = restUsageOf(whole, atRestStart, { records: 2_000, batches: 2, written: 500, produced: 1_998 }, 12, 'target');
    // THEN
    expect(rest.all).toMatchObject({ records: 8_000, batches: 8, changedItems: 2_000, keysRead: 7_992, expressChildren: 8, childDurationMs: 8 * 1_100, parentTransitions: 12 });
    expect(rest.all.api.requests['S3.GetObject']).toBe(22);
    expect(rest.all.api.dynamodb.ledger!.writeUnits).toBe(70);
    expect(rest.workers.api.requests['S3.GetObject']).toBe(16);
    expect(rest.workers.api.dynamodb.ledger!.writeUnits).toBe(32);
    expect(rest.workers.parentTransitions).toBe(0);
    expect(Object.keys(rest.workers.lambdas)).toEqual(['worker']);
    expect(costOfRun(rest.all, prices).totalUsd).toBeGreaterThan(costOfRun(rest.workers, prices).totalUsd);
  });
  it('counts no worker part when no function was attributed', () => {
    const whole: WholeRunReading = {
      records: 10, batches: 1, written: 0, produced: 10, engine: engine(0, 0), api: emptyUsage(), apiByFunction: {}, lambdasAfter: {}, allWorkerDurationsMs: [],
    };
    const rest = restUsageOf(whole, { api: { total: emptyUsage(), byFunction: {} }, invocations: {} }, { records: 10, batches: 1, written: 0, produced: 10 }, 0, 'target');
    expect(rest.workers).toMatchObject({ expressChildren: 0, childDurationMs: 0, api: { requests: {} } });
  });
});

/** A run as the bench child reports it: only what the staged figures read is meaningful. */
function run(wallMs: number, staged?: StagedMeasurement, stateMs?: Record<string, number>, cpuMs = wallMs): BackfillResult {
  return {
    ...(stateMs ? { stateMs } : {}),
    kind: 'backfill', records: 10_000, wallMs, counts: { read: 0, malformed: 0, produced: 0, written: 0, created: 0, unchanged: 0, skippedNewer: 0, skippedChanged: 0 },
    batches: 10, engine: engine(10, 0), api: emptyUsage(), lambdas: { worker: { invocations: 4, durationsMs: [3_000, 1_000, 2_000, 2_000] } }, process: { maxRssBytes: 0, rssBeforeBytes: 0, cpuMs }, ...(staged ? { staged } : {}),
  };
}

function staged(options: { forecastMs: number; forecastUsd: number; restWallMs: number; approvalWaitMs?: number; restUsd: number }): StagedMeasurement {
  // A rest whose whole cost is its target write units (at $0.625 per million).
  const units = options.restUsd / prices.dynamodb.writeRequestUnit;
  const usage = { records: 8_000, batches: 8, changedItems: 0, keysRead: 0, targetTable: 'target', api: api(0, units, 0), parentTransitions: 0, expressChildren: 0, childTransitions: 0, childDurationMs: 0, lambdas: {} };
  return {
    timeline: {
      stages: [{ name: 'canary', processMs: 900, validateMs: 100, approvalWaitMs: options.approvalWaitMs ?? 0 }, { name: 'wave-1', processMs: options.restWallMs - 200, validateMs: 150, approvalWaitMs: 0 }],
      stateMs: {},
      validateMs: 250,
      approvalWaitMs: options.approvalWaitMs ?? 0,
      restStartMs: 1_000,
      restWallMs: options.restWallMs,
      restProcessingMs: options.restWallMs - 200,
      restTransitions: 5,
    },
    canary: { records: 2_000, batches: 2, elapsedMs: 900, written: 0, produced: 0 },
    meanWorkerCallMs: { canary: 1_200, rest: 1_000 },
    forecast: { status: 'forecast', ms: options.forecastMs, usd: options.forecastUsd, usdByService: { DynamoDB: options.forecastUsd }, remainingRecords: 8_000, remainingBatches: 8 },
    rest: { all: usage, workers: { ...usage, api: api(0, units / 2, 0) } },
  };
}

describe('summarizeStaged', () => {
  it('gives the overhead per pair without the approval wait, and the forecast as ratios to what the rest measured', () => {
    // GIVEN a staged run 4 s slower than its unstaged pair, after waiting 60 s for an approval
    const pair = { unstaged: run(100_000, undefined, undefined, 80_000), staged: run(164_000, staged({ forecastMs: 90_000, forecastUsd: 0.0011, restWallMs: 100_000, approvalWaitMs: 60_000, restUsd: 0.001 }), undefined, 82_000) };
    // WHEN
    const figures = stagedPairFigures(pair, prices);
    // THEN
    expect(figures.stagedMs).toBe(104_000);
    expect(figures.overhead).toBeCloseTo(0.04, 12);
    expect(figures.cpuOverhead).toBeCloseTo(0.025, 12);
    expect(figures.validateMsByStage).toEqual({ canary: 100, 'wave-1': 150 });
    expect(figures.forecast!.restUsd).toBeCloseTo(0.001, 12);
    expect(figures.forecast!.restWorkersUsd).toBeCloseTo(0.0005, 12);
    expect(figures.forecast!.byService.DynamoDB!.forecastUsd).toBe(0.0011);
    expect(figures.forecast!.byService.DynamoDB!.restUsd).toBeCloseTo(0.001, 12);
    expect(figures.forecast!.byService.DynamoDB!.restWorkersUsd).toBeCloseTo(0.0005, 12);
  });

  it('takes medians over the pairs and says which goals the medians meet', () => {
    const pairs = [
      { unstaged: run(100_000), staged: run(103_000, staged({ forecastMs: 80_000, forecastUsd: 0.00105, restWallMs: 100_000, restUsd: 0.001 })) },
      { unstaged: run(100_000), staged: run(110_000, staged({ forecastMs: 110_000, forecastUsd: 0.0012, restWallMs: 100_000, restUsd: 0.001 })) },
      { unstaged: run(100_000), staged: run(104_000, staged({ forecastMs: 100_000, forecastUsd: 0.0013, restWallMs: 100_000, restUsd: 0.001 })) },
    ];
    const summary = summarizeStaged(10_000, pairs, prices, { canary: { percent: 5 }, waves: [25, 100] });
    expect(summary.overhead.median).toBeCloseTo(0.04, 12);
    expect(summary.forecast!.timeRatio.median).toBeCloseTo(1, 12);
    expect(summary.forecast!.costRatio.median).toBeCloseTo(1.2, 9);
    expect(summary.goals).toEqual({ overhead: true, time: true, cost: false });
    expect(summary.forecast!.meanWorkerCallSeconds.canary.median).toBe(1.2);
    // The canary is 2 batches: the unstaged run's first 2 calls against its other 2.
    expect(summary.forecast!.meanWorkerCallSeconds.unstagedFirst.median).toBe(2);
    expect(summary.forecast!.meanWorkerCallSeconds.unstagedRest.median).toBe(2);
    expect(summary.validateSecondsByStage['wave-1']!.median).toBeCloseTo(0.15, 12);
    const table = stagedMarkdown(summary);
    expect(table).toContain('| **overhead** = (staged − unstaged) ÷ unstaged, per pair | **+4.0 %** (+3.0 %–+10.0 %) | ≤ +5 %: met |');
    expect(table).toContain('| **cost: forecast ÷ measured rest** | **1.20** (1.05–1.30) | 0.90–1.10: **not met** |');
    expect(() => summarizeStaged(10_000, [], prices, {})).toThrow(/at least one pair/);
  });

  it('splits the extra time by part when both runs timed their states', () => {
    // GIVEN a staged run 10 s slower: Plan +0.5 s, its Maps +4 s over ProcessBatches, 2 s validating, 1 s of stage steps
    const measured = staged({ forecastMs: 1, forecastUsd: 1, restWallMs: 1, restUsd: 1 });
    const timed = { ...measured, timeline: { ...measured.timeline, validateMs: 2_000, stateMs: { Plan: 1_500, ProcessStage: 84_000, ValidateStage: 2_000, NextStage: 600, PassStage: 400, Finalize: 1_000 } } };
    const pair = { unstaged: run(100_000, undefined, { Plan: 1_000, ProcessBatches: 80_000, Finalize: 1_000 }), staged: run(110_000, timed) };
    // WHEN
    const { overheadMs } = stagedPairFigures(pair, prices);
    // THEN
    expect(overheadMs).toEqual({ plan: 500, processing: 4_000, validate: 2_000, stageSteps: 1_000, finalize: 0, other: 2_500 });
    expect(summarizeStaged(1, [pair], prices, {}).overheadSecondsByPart!.processing.median).toBe(4);
    expect(stagedPairFigures({ unstaged: run(100_000), staged: run(110_000, timed) }, prices).overheadMs).toBeUndefined();
  });

  it('refuses a pair whose staged run was not measured staged', () => {
    expect(() => stagedPairFigures({ unstaged: run(1), staged: run(2) }, prices)).toThrow(/no staged measurement/);
  });
});

describe('parseBenchOptions for the staged rollout', () => {
  it('runs the staged pairs alone, to their own file, without touching the docs', () => {
    const options = parseBenchOptions(['--staged-only', '--repeats', '2']);
    expect(options.stagedOnly).toBe(true);
    expect(options.profile.repeats).toBe(2);
    expect(options.profile.stagedRecords).toBe(100_000);
    expect(options.out).toMatch(/staged-latest\.json$/);
    expect(options.writeDocs).toBe(false);
    expect(parseBenchOptions(['--staged-only', '--quick']).out).toMatch(/staged-latest-quick\.json$/);
    expect(() => parseBenchOptions(['--repeats', '0'])).toThrow('--repeats must be a whole number from 1 to 20, got 0');
  });

  it('takes the staged rollout\'s size from --records, for a quick check', () => {
    expect(parseBenchOptions(['--staged-only', '--records', '20000']).profile.stagedRecords).toBe(20_000);
    expect(() => parseBenchOptions(['--staged-only', '--records', '20k'])).toThrow('--records must be a whole number from 1000 to 1000000, got 20k');
  });
});
