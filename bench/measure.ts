import { join } from 'node:path';
import { atChangedShare, costOfRun, floorCost, naiveCost, perMillionRecords, readEveryKeyFloorCost, type CostBreakdown } from './cost/costModel';
import type { PriceTable } from '../lambdas/lib/cost/priceTable';
import { runUsageOf } from './cost/runUsage';
import type { BackfillResult, FloorMeasurement, PlanResultSummary, SpecOverrides } from './jobs';
import { runChild } from './runChild';

/** One backfill run and the floor measured right after it in the same process, with what follows from both. */
export interface PairedRun {
  readonly floor: FloorMeasurement;
  readonly backfill: BackfillResult;
  /** The floor as records/s: the conditional-put rate times records per changed item. */
  readonly floorRecordsPerSecond: number;
  readonly recordsPerSecond: number;
  readonly ratioToFloor: number;
  /** The same ratio in CPU time: the floor's CPU per write times the run's writes, over the run's CPU. */
  readonly cpuRatioToFloor: number;
  readonly cost: RunCost;
}

export interface RunCost {
  readonly ours: CostBreakdown;
  readonly floor: CostBreakdown;
  /** The floor plus reading every key once: what any design that finds the changed items by reading pays. */
  readonly readEveryKeyFloor: CostBreakdown;
  readonly naive: CostBreakdown;
}

/** Conditional puts one worker keeps in flight (WRITE_CONCURRENCY in lambdas/lib/worker/processBatch.ts). */
export const WORKER_WRITE_CONCURRENCY = 16;

let runCounter = 0;
/** A fresh runId per measured run (the execution name). */
export const nextRunId = (label: string): string => `bench-${label}-${process.pid}-${++runCounter}`;

export const fixtureDir = (workDir: string, records: number): string => join(workDir, `fixture-${records}`);
export const sourceFixtureDir = (workDir: string, records: number): string => join(workDir, `source-${records}`);

/** The cost of one run, projected to a million records, with its floor and the naive design. */
export function runCost(backfill: BackfillResult, targetTable: string, prices: PriceTable): RunCost {
  const usage = runUsageOf(backfill, targetTable);
  return {
    ours: perMillionRecords(costOfRun(usage, prices), backfill.records),
    floor: perMillionRecords(floorCost(usage, prices), backfill.records),
    readEveryKeyFloor: perMillionRecords(readEveryKeyFloorCost(usage, prices), backfill.records),
    naive: perMillionRecords(naiveCost(usage, prices), backfill.records),
  };
}

export async function measureBackfill(workDir: string, records: number, spec: SpecOverrides, label: string): Promise<BackfillResult> {
  return runChild<BackfillResult>({ kind: 'backfill', fixtureDir: fixtureDir(workDir, records), records, spec, runId: nextRunId(label) });
}

/** A backfill and then the floor, in one process, so both see the same load and a warm put path. */
export async function measurePair(workDir: string, records: number, spec: SpecOverrides, floorSample: number, targetTable: string, prices: PriceTable): Promise<PairedRun> {
  const backfill = await runChild<BackfillResult>({
    kind: 'backfill',
    fixtureDir: fixtureDir(workDir, records),
    records,
    spec,
    runId: nextRunId(`${records}`),
    floor: { concurrency: spec.maxConcurrency * WORKER_WRITE_CONCURRENCY, sample: floorSample },
  });
  const floor = backfill.floor!;
  if (backfill.counts.written !== floor.changedItems) {
    throw new Error(`the floor computed ${floor.changedItems} changed items but the backfill wrote ${backfill.counts.written}; the floor no longer matches the workers' writes`);
  }
  const floorRecordsPerSecond = floor.conditionalPutsPerSecond * (records / Math.max(1, floor.changedItems));
  const recordsPerSecond = (backfill.records / backfill.wallMs) * 1000;
  const floorCpuMs = floor.cpuMsPerPut * floor.changedItems;
  return {
    floor,
    backfill,
    floorRecordsPerSecond,
    recordsPerSecond,
    ratioToFloor: recordsPerSecond / floorRecordsPerSecond,
    cpuRatioToFloor: floorCpuMs / backfill.process.cpuMs,
    cost: runCost(backfill, targetTable, prices),
  };
}

export async function measurePlan(workDir: string, records: number, batchSize: number): Promise<PlanResultSummary> {
  return runChild<PlanResultSummary>({ kind: 'plan', fixtureDir: sourceFixtureDir(workDir, records), records, batchSize, runId: nextRunId('plan') });
}

/** Shares of changed items the cost is projected to, besides the measured one (unless one is within 2 points of it). */
export const PROJECTED_SHARES = [0.1, 0.25, 0.5, 1] as const;

/** Cost per million records and ratio to the floor if `share` of the items had changed (first-order model). */
export function projectChangedShare(pair: PairedRun, targetTable: string, prices: PriceTable, share: number): { share: number; oursUsd: number; floorUsd: number; ratio: number } {
  const usage = atChangedShare(runUsageOf(pair.backfill, targetTable), share, pair.cpuRatioToFloor);
  const oursUsd = perMillionRecords(costOfRun(usage, prices), usage.records).totalUsd;
  const floorUsd = perMillionRecords(floorCost(usage, prices), usage.records).totalUsd;
  return { share, oursUsd, floorUsd, ratio: oursUsd / floorUsd };
}
