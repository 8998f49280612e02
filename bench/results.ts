import { relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PriceTable } from '../lambdas/lib/cost/priceTable';
import { benchSpecPath } from './benchSpec';
import type { CostBreakdown } from './cost/costModel';
import type { SpecOverrides } from './jobs';
import { withEndLoad, type GitInfo, type MachineInfo } from './machine';
import { REPO_ROOT } from './options';
import type { GateResults } from './gate/summarizeGate';
import type { StagedResults } from './staged/summarizeStaged';
import type { Summary } from './stats';

/** Bump when the meaning of a metric changes, so comparisons across the change are flagged. */
export const RESULTS_SCHEMA_VERSION = 1;

/** One comparable number: its unit and which direction is better. */
export interface Metric extends Summary {
  readonly unit: string;
  readonly better: 'higher' | 'lower';
}

/** Floor and end-to-end figures at one dataset size. */
export interface SizeResults {
  readonly records: number;
  /** Items the backfill changes (written, created included): the floor's writes. */
  readonly changedItems: number;
  readonly batches: number;
  readonly childExecutions: number;
  readonly counts: Readonly<Record<string, number>>;
  /** AWS requests of the median run, by `Service.Operation`. */
  readonly requests: Readonly<Record<string, number>>;
  /** Cost breakdown per million records of the median-cost run. */
  readonly costPerMillion: { readonly ours: CostBreakdown; readonly floor: CostBreakdown; readonly naive: CostBreakdown };
  /** The median-cost run projected to other shares of changed items (see `atChangedShare`). */
  readonly changedShareProjection: readonly { readonly share: number; readonly oursUsd: number; readonly floorUsd: number; readonly ratio: number }[];
}

export interface SweepCell extends SpecOverrides {
  readonly recordsPerSecond: Summary;
  readonly ratioToFloor: Summary;
  readonly costPerMillionUsd: Summary;
  readonly costRatioToFloor: Summary;
}

export interface BenchResults {
  readonly schemaVersion: number;
  readonly generatedAt: string;
  readonly profile: string;
  readonly durationSeconds: number;
  readonly git: GitInfo;
  readonly machine: MachineInfo;
  readonly prices: { readonly region: string; readonly checked: string };
  /** The spec the runs used (examples/orders-spec.json unless `--spec`), relative to the repo. */
  readonly specFile: string;
  /** Its batch size, max concurrency and batches per worker: the floor and end-to-end runs' settings. */
  readonly defaults: SpecOverrides;
  readonly repeats: number;
  /** Every headline figure by name, e.g. `e2e.100000.recordsPerSecond`: what `--compare` compares. */
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly sizes: readonly SizeResults[];
  readonly plan: { readonly records: number; readonly batches: number; readonly manifestBytes: number; readonly objects: number };
  readonly sweep: { readonly records: number; readonly cells: readonly SweepCell[] };
  /** The staged rollout against the same run unstaged (absent in results from before it was measured). */
  readonly staged?: StagedResults;
  /** The gate checks' cost and the recovery from throttling (absent in results from before they were measured). */
  readonly gate?: GateResults;
}

/** `npm run bench -- --staged-only`: the staged rollout's phase alone. */
export interface StagedBenchResults extends ResultsHeader {
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly staged: StagedResults;
}

/** The fields every results file opens with: what ran, where, when and with which prices. */
export type ResultsHeader = Pick<BenchResults, 'schemaVersion' | 'generatedAt' | 'profile' | 'durationSeconds' | 'git' | 'machine' | 'prices' | 'specFile' | 'defaults' | 'repeats'>;

/**
 * The header of a results file, read at the end of the bench (its duration, the machine's load at the end).
 * @example
 *   return { ...resultsHeader({ profile, started, machine, git, prices, defaults }), metrics };
 */
export function resultsHeader(run: {
  readonly profile: { readonly name: string; readonly repeats: number };
  readonly started: number;
  readonly machine: MachineInfo;
  readonly git: GitInfo;
  readonly prices: Pick<PriceTable, 'region' | 'checked'>;
  readonly defaults: SpecOverrides;
}): ResultsHeader {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    profile: run.profile.name,
    durationSeconds: Math.round((performance.now() - run.started) / 1000),
    git: run.git,
    machine: withEndLoad(run.machine),
    prices: { region: run.prices.region, checked: run.prices.checked },
    specFile: relative(REPO_ROOT, benchSpecPath()),
    defaults: run.defaults,
    repeats: run.profile.repeats,
  };
}
