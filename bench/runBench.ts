import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseSpec } from '../lambdas/lib/spec';
import { benchSpec, benchSpecPath } from './benchSpec';
import { loadPriceTable } from '../lambdas/lib/cost/priceTable';
import type { BackfillResult, PlanResultSummary, SeedResult, SpecOverrides } from './jobs';
import { gitInfo, machineInfo } from './machine';
import { fixtureDir, measureBackfill, measurePair, measurePlan, projectChangedShare, PROJECTED_SHARES, runCost, sourceFixtureDir, type PairedRun, type RunCost } from './measure';
import type { PriceTable } from '../lambdas/lib/cost/priceTable';
import { REPO_ROOT, type BenchProfile } from './options';
import { resultsHeader, type BenchResults, type Metric, type SizeResults, type SweepCell } from './results';
import { runChild } from './runChild';
import { measureStagedPairs } from './staged/measureStaged';
import { STAGED_FIELDS } from './staged/stagedSpec';
import { stagedMetrics, stagedPhaseTitle } from './staged/stagedMetrics';
import { summarizeStaged } from './staged/summarizeStaged';
import { summarize } from './stats';

export type Log = (line: string) => void;

const MB = 1024 * 1024;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const metric = (values: readonly number[], unit: string, better: Metric['better']): Metric => ({ ...summarize(values), unit, better });

/** The run whose total cost is the median (the lower middle one for an even count). */
function medianCostRun<T extends { cost: RunCost }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.cost.ours.totalUsd - b.cost.ours.totalUsd);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** The spec settings the floor and end-to-end runs use: the example spec's, with the schema's defaults. */
export function defaultSettings(): SpecOverrides {
  const spec = parseSpec(benchSpec({}));
  return { batchSize: spec.batchSize, maxConcurrency: spec.maxConcurrency, batchesPerWorker: spec.batchesPerWorker };
}

/**
 * Runs every phase of the bench and returns its results: fixtures, end to end and floor at each
 * size (paired in one process), planning alone, the sweep. Each measurement runs in its own child process.
 */
export async function runBench(profile: BenchProfile, log: Log): Promise<BenchResults> {
  const started = performance.now();
  const machine = machineInfo();
  // The code that runs is the checkout as it is now; edits made while the bench runs do not count.
  const git = gitInfo();
  const prices = loadPriceTable();
  const defaults = defaultSettings();
  const targetTable = parseSpec(benchSpec(defaults)).target.tableName;
  const workDir = mkdtempSync(join(tmpdir(), 'backfill-bench-'));
  // Ctrl-C: the fixtures are large; leave nothing behind (children get the signal from the terminal).
  const onSignal = () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const phases = 6;
  const phase = (n: number, text: string) => log(`[bench] phase ${n}/${phases} ${text} (${fmt((performance.now() - started) / 1000)} s elapsed)`);
  log(`[bench] ${profile.name} profile on ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage.start}; spec ${relative(REPO_ROOT, benchSpecPath())} with batchSize ${defaults.batchSize}, maxConcurrency ${defaults.maxConcurrency}, batchesPerWorker ${defaults.batchesPerWorker}`);
  try {
    // 1. Fixtures: each size seeded once; every measured run starts from a private copy.
    const seedSizes = [...new Set([...profile.sizes, profile.sweepRecords, profile.stagedRecords])].sort((a, b) => a - b);
    phase(1, `seeding fixtures: ${seedSizes.map((n) => fmt(n)).join(', ')} records (demo dataset), ${fmt(profile.planRecords)} source records for planning`);
    // Not measured, so seeded side by side (one process each, the machine has two cores).
    await Promise.all([
      ...seedSizes.map((records) => runChild<SeedResult>({ kind: 'seed', dataDir: fixtureDir(workDir, records), records })),
      runChild<SeedResult>({ kind: 'seed-source', dataDir: sourceFixtureDir(workDir, profile.planRecords), records: profile.planRecords }),
    ]);

    // 2. End to end and floor at each size; at the sweep's size, the sweep's other cells run in the
    // same loop, so every cell of a repeat sees the same load and the defaults' cell is the pair run.
    const cells = profile.sweepBatchSizes.flatMap((batchSize) => profile.sweepMaxConcurrency.map((maxConcurrency) => ({ batchSize, maxConcurrency, batchesPerWorker: defaults.batchesPerWorker })));
    const isDefaults = (cell: SpecOverrides) => cell.batchSize === defaults.batchSize && cell.maxConcurrency === defaults.maxConcurrency && cell.batchesPerWorker === defaults.batchesPerWorker;
    const sweepRuns = new Map<string, BackfillResult[]>(cells.map((c) => [JSON.stringify(c), []]));
    const runSweepCells = async (pair: PairedRun | undefined) => {
      for (const cell of cells) {
        const run = pair && isDefaults(cell) ? pair.backfill : await measureBackfill(workDir, profile.sweepRecords, cell, 'sweep');
        sweepRuns.get(JSON.stringify(cell))!.push(run);
      }
    };
    const sweepInline = profile.sizes.includes(profile.sweepRecords);
    const grid = `batch size ${profile.sweepBatchSizes.join(', ')} x max concurrency ${profile.sweepMaxConcurrency.join(', ')}`;
    const pairs = new Map<number, PairedRun[]>();
    phase(2, `end to end, then the floor in the same process, at ${profile.sizes.map((n) => fmt(n)).join(' and ')} records, ${profile.repeats} repeats each${sweepInline ? `; with the sweep (${grid}) at ${fmt(profile.sweepRecords)}` : ''}`);
    for (const records of profile.sizes) {
      const runs: PairedRun[] = [];
      for (let r = 1; r <= profile.repeats; r++) {
        const pair = await measurePair(workDir, records, defaults, profile.floorSample, targetTable, prices);
        runs.push(pair);
        log(
          `        ${fmt(records)} records, run ${r}/${profile.repeats}: backfill ${fmt(pair.recordsPerSecond)} records/s in ${fmt(pair.backfill.wallMs / 1000, 1)} s; ` +
            `floor ${fmt(pair.floor.conditionalPutsPerSecond)} puts/s = ${fmt(pair.floorRecordsPerSecond)} records/s (ratio ${fmt(pair.ratioToFloor, 2)}); ` +
            `$${fmt(pair.cost.ours.totalUsd, 3)}/M records vs floor $${fmt(pair.cost.floor.totalUsd, 3)}; peak RSS ${fmt(pair.backfill.process.maxRssBytes / MB)} MB`,
        );
        if (records === profile.sweepRecords) {
          await runSweepCells(pair);
          log(`        sweep repeat ${r}/${profile.repeats} done`);
        }
      }
      pairs.set(records, runs);
    }

    // 3. Planning alone.
    phase(3, `planning alone at ${fmt(profile.planRecords)} records, ${profile.repeats} repeats`);
    const plans: PlanResultSummary[] = [];
    for (let r = 1; r <= profile.repeats; r++) {
      const plan = await measurePlan(workDir, profile.planRecords, defaults.batchSize);
      plans.push(plan);
      log(`        run ${r}/${profile.repeats}: ${fmt(plan.batches)} batches from ${fmt(plan.objects)} objects in ${fmt(plan.wallMs / 1000, 1)} s, peak RSS ${fmt(plan.process.maxRssBytes / MB)} MB`);
    }

    // 4. The sweep, when its size is not one of the measured sizes.
    phase(4, sweepInline ? `sweep: measured with phase 2 at ${fmt(profile.sweepRecords)} records` : `sweep at ${fmt(profile.sweepRecords)} records: ${grid}, ${profile.repeats} repeats`);
    if (!sweepInline) {
      for (let r = 1; r <= profile.repeats; r++) {
        await runSweepCells(undefined);
        log(`        repeat ${r}/${profile.repeats} done`);
      }
    }

    // 5. The staged rollout against the same run unstaged.
    phase(5, stagedPhaseTitle(profile));
    const stagedPairs = await measureStagedPairs(workDir, profile.stagedRecords, defaults, profile.repeats, log);

    phase(6, 'summarizing');
    const staged = summarizeStaged(profile.stagedRecords, stagedPairs, prices, STAGED_FIELDS.rollout);
    const floorOf = (records: number) => summarize(pairs.get(records)?.map((p) => p.floorRecordsPerSecond) ?? [NaN]);
    const sweepFloor = pairs.has(profile.sweepRecords) ? floorOf(profile.sweepRecords).median : NaN;
    const sweepCells: SweepCell[] = cells.map((cell) => {
      const runs = sweepRuns.get(JSON.stringify(cell))!;
      const costs = runs.map((run) => runCost(run, targetTable, prices));
      const rps = runs.map((run) => (run.records / run.wallMs) * 1000);
      return {
        ...cell,
        recordsPerSecond: summarize(rps),
        ratioToFloor: summarize(rps.map((x) => x / sweepFloor)),
        costPerMillionUsd: summarize(costs.map((c) => c.ours.totalUsd)),
        costRatioToFloor: summarize(costs.map((c) => c.ours.totalUsd / c.floor.totalUsd)),
      };
    });
    return {
      ...resultsHeader({ profile, started, machine, git, prices, defaults }),
      metrics: { ...metricsOf(pairs, plans, profile.planRecords), ...stagedMetrics(staged) },
      sizes: [...pairs.entries()].map(([records, runs]) => sizeResults(records, runs, targetTable, prices)),
      plan: { records: profile.planRecords, batches: plans[0]!.batches, manifestBytes: plans[0]!.manifestBytes, objects: plans[0]!.objects },
      sweep: { records: profile.sweepRecords, cells: sweepCells },
      staged,
    };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(workDir, { recursive: true, force: true });
  }
}

function sizeResults(records: number, runs: readonly PairedRun[], targetTable: string, prices: PriceTable): SizeResults {
  const median = medianCostRun(runs);
  const b = median.backfill;
  const measuredShare = b.counts.written / b.records;
  return {
    records,
    changedItems: b.counts.written,
    batches: b.batches,
    childExecutions: b.engine.childExecutions.EXPRESS.started + b.engine.childExecutions.STANDARD.started,
    counts: { ...b.counts },
    requests: b.api.requests,
    costPerMillion: median.cost,
    changedShareProjection: [...PROJECTED_SHARES.filter((share) => Math.abs(share - measuredShare) > 0.02), measuredShare].sort((x, y) => x - y).map((share) => projectChangedShare(median, targetTable, prices, share)),
  };
}

function metricsOf(pairs: ReadonlyMap<number, readonly PairedRun[]>, plans: readonly PlanResultSummary[], planRecords: number): Record<string, Metric> {
  const metrics: Record<string, Metric> = {};
  const sizes = [...pairs.keys()].sort((a, b) => a - b);
  for (const records of sizes) {
    const runs = pairs.get(records)!;
    const of = (f: (p: PairedRun) => number) => runs.map(f);
    metrics[`floor.${records}.conditionalPutsPerSecond`] = metric(of((p) => p.floor.conditionalPutsPerSecond), 'writes/s', 'higher');
    metrics[`floor.${records}.batchWriteItemsPerSecond`] = metric(of((p) => p.floor.batchWriteItemsPerSecond), 'items/s', 'higher');
    metrics[`floor.${records}.recordsPerSecond`] = metric(of((p) => p.floorRecordsPerSecond), 'records/s', 'higher');
    metrics[`e2e.${records}.recordsPerSecond`] = metric(of((p) => p.recordsPerSecond), 'records/s', 'higher');
    metrics[`e2e.${records}.ratioToFloor`] = metric(of((p) => p.ratioToFloor), 'ratio', 'higher');
    metrics[`e2e.${records}.cpuRatioToFloor`] = metric(of((p) => p.cpuRatioToFloor), 'ratio', 'higher');
    metrics[`e2e.${records}.wallSeconds`] = metric(of((p) => p.backfill.wallMs / 1000), 's', 'lower');
    metrics[`e2e.${records}.cpuSeconds`] = metric(of((p) => p.backfill.process.cpuMs / 1000), 's', 'lower');
    metrics[`e2e.${records}.peakRssMb`] = metric(of((p) => p.backfill.process.maxRssBytes / MB), 'MB', 'lower');
    metrics[`e2e.${records}.rssGrowthMb`] = metric(of((p) => (p.backfill.process.maxRssBytes - p.backfill.process.rssBeforeBytes) / MB), 'MB', 'lower');
    metrics[`e2e.${records}.heapAfterGcMb`] = metric(of((p) => (p.backfill.process.heapAfterGcBytes ?? NaN) / MB), 'MB', 'lower');
    metrics[`e2e.${records}.maxPayloadBytes`] = metric(of((p) => p.backfill.engine.maxPayloadBytes), 'bytes', 'lower');
    metrics[`cost.${records}.oursPerMillionUsd`] = metric(of((p) => p.cost.ours.totalUsd), 'USD', 'lower');
    metrics[`cost.${records}.floorPerMillionUsd`] = metric(of((p) => p.cost.floor.totalUsd), 'USD', 'lower');
    metrics[`cost.${records}.naivePerMillionUsd`] = metric(of((p) => p.cost.naive.totalUsd), 'USD', 'lower');
    metrics[`cost.${records}.ratioToFloor`] = metric(of((p) => p.cost.ours.totalUsd / p.cost.floor.totalUsd), 'ratio', 'lower');
    metrics[`cost.${records}.readEveryKeyFloorPerMillionUsd`] = metric(of((p) => p.cost.readEveryKeyFloor.totalUsd), 'USD', 'lower');
    metrics[`cost.${records}.ratioToReadEveryKeyFloor`] = metric(of((p) => p.cost.ours.totalUsd / p.cost.readEveryKeyFloor.totalUsd), 'ratio', 'lower');
  }
  metrics[`plan.${planRecords}.wallSeconds`] = metric(plans.map((p) => p.wallMs / 1000), 's', 'lower');
  metrics[`plan.${planRecords}.peakRssMb`] = metric(plans.map((p) => p.process.maxRssBytes / MB), 'MB', 'lower');
  metrics[`plan.${planRecords}.rssGrowthMb`] = metric(plans.map((p) => (p.process.maxRssBytes - p.process.rssBeforeBytes) / MB), 'MB', 'lower');
  return metrics;
}


