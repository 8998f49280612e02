import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..');

/** How big each part of the bench is. */
export interface BenchProfile {
  readonly name: 'default' | 'quick';
  /** Dataset sizes of the floor and end-to-end measurements. */
  readonly sizes: readonly number[];
  /** Dataset size of planning alone. */
  readonly planRecords: number;
  /** Dataset size of the sweep, and its grid. */
  readonly sweepRecords: number;
  readonly sweepBatchSizes: readonly number[];
  readonly sweepMaxConcurrency: readonly number[];
  readonly repeats: number;
  /** Conditional writes timed per floor run (spread over the run's changed items). */
  readonly floorSample: number;
  /** Dataset size of the staged rollout's pairs (unstaged vs staged). */
  readonly stagedRecords: number;
  /** Dataset size of the operator phase's runs (local up's own demo is 20,000), and its pairs. */
  readonly operatorRecords: number;
  readonly operatorRepeats: number;
}

export const PROFILES: Readonly<Record<BenchProfile['name'], BenchProfile>> = {
  default: {
    name: 'default',
    sizes: [10_000, 100_000],
    planRecords: 1_000_000,
    sweepRecords: 10_000,
    sweepBatchSizes: [500, 2_000],
    sweepMaxConcurrency: [2, 8],
    repeats: 3,
    floorSample: 2_000,
    stagedRecords: 100_000,
    operatorRecords: 20_000,
    operatorRepeats: 3,
  },
  quick: {
    name: 'quick',
    sizes: [2_000, 5_000],
    planRecords: 100_000,
    sweepRecords: 2_000,
    sweepBatchSizes: [500, 2_000],
    sweepMaxConcurrency: [2],
    repeats: 3,
    floorSample: 500,
    stagedRecords: 5_000,
    operatorRecords: 2_000,
    operatorRepeats: 1,
  },
};

export interface BenchOptions {
  readonly profile: BenchProfile;
  /** Where the JSON results go. */
  readonly out: string;
  /** Write docs/benchmarks.md and the chart. */
  readonly writeDocs: boolean;
  /** Results to compare against in the doc (the figures before a change). */
  readonly baseline: string;
  /** `--compare OLD NEW`: print the difference of two result files and exit. */
  readonly compare?: readonly [string, string];
  /** `--report FILE`: rewrite the docs from a results file without measuring. */
  readonly report?: string;
  /** `--spec FILE`: run another spec (over the demo dataset) instead of examples/orders-spec.json. */
  readonly spec?: string;
  /** `--staged-only`: only the staged rollout's pairs (seeding their size first), to `out`. */
  readonly stagedOnly: boolean;
  /** `--gate-only`: only the gate checks' cost and the recovery from throttling (bench/gate/), to `out`. */
  readonly gateOnly: boolean;
  /** `--operator-only`: only `local up` start-up, `status` latency and records/s through local up vs npm start (bench/operator/), to `out`. */
  readonly operatorOnly: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench -- [--quick] [--out FILE] [--no-docs] [--baseline FILE] [--spec FILE] [--repeats N]
       npm run bench -- --staged-only [--quick] [--out FILE] [--repeats N] [--records N]
       npm run bench -- --gate-only [--quick] [--out FILE] [--no-docs] [--repeats N]
       npm run bench -- --operator-only [--quick] [--out FILE] [--no-docs] [--repeats N]
       npm run bench -- --compare OLD.json NEW.json
       npm run bench -- --report bench/results/latest.json

Measures the local write floor, full backfills at 10,000 and 100,000 records, planning alone at
1,000,000, a batch size x max concurrency sweep, and a staged rollout (canary + waves, each
validated) against the same run unstaged at 100,000 records: its overhead and the canary's
forecast against the measured rest of the run; the gate checks' cost on a 100,000-record run
(goal <= 3 %) and, with injected throttling that then stops, the time back to >= 80 % of the
unthrottled write rate; projects AWS cost per million records.
Each figure is the median of 3 runs (with min and max), each run in its own process.

  --quick          smaller sizes (2,000 and 5,000; planning 100,000): a smoke run under 2 minutes
  --out FILE       results JSON (default bench/results/latest.json, or latest-quick.json with --quick)
  --no-docs        do not rewrite docs/benchmarks.md and docs/benchmarks-sweep.svg
  --baseline FILE  results to show as "before" in the doc (default bench/results/baseline.json if present)
  --spec FILE      measure another spec over the demo data (e.g. other defaults) instead of examples/orders-spec.json
  --repeats N      runs per figure (default 3)
  --staged-only    only the staged rollout's pairs, to bench/results/staged-latest.json (docs untouched)
  --gate-only      only the gate checks' cost and the throttling recovery, to bench/results/gate-latest.json
                   (and their section of docs/benchmarks.md, unless --quick or --no-docs)
  --operator-only  only the operator CLI with real processes: local up's start-up (new and kept data dir),
                   status latency (run going, run ended), records/s of 20,000 records through local up
                   (start + watch) vs npm start, 3 alternating pairs (--quick: 2,000 records, 1 pair),
                   to bench/results/operator-latest.json (and its section of docs/benchmarks.md, unless
                   --quick or --no-docs)
  --records N      the staged rollout's size (default 100,000), e.g. 20000 for a quick check
  --compare A B    print every metric of two result files side by side, with the change, and exit
  --report FILE    rewrite docs/benchmarks.md and the chart from a results file, without measuring`;

/** Parses the bench's arguments. @throws Error naming an unknown or incomplete option. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let out: string | undefined;
  let writeDocs = true;
  let baseline = join(REPO_ROOT, 'bench', 'results', 'baseline.json');
  let compare: [string, string] | undefined;
  let report: string | undefined;
  let spec: string | undefined;
  let repeats: number | undefined;
  let stagedRecords: number | undefined;
  let stagedOnly = false;
  let gateOnly = false;
  let operatorOnly = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value; see --help`);
      return next;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--out') out = value();
    else if (arg === '--no-docs') writeDocs = false;
    else if (arg === '--baseline') baseline = value();
    else if (arg === '--compare') compare = [value(), value()];
    else if (arg === '--report') report = value();
    else if (arg === '--spec') spec = value();
    else if (arg === '--staged-only') stagedOnly = true;
    else if (arg === '--gate-only') gateOnly = true;
    else if (arg === '--operator-only') operatorOnly = true;
    else if (arg === '--repeats') {
      const text = value();
      repeats = Number(text);
      if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20) throw new Error(`--repeats must be a whole number from 1 to 20, got ${text}`);
    }
    else if (arg === '--records') {
      const text = value();
      stagedRecords = Number(text);
      if (!Number.isInteger(stagedRecords) || stagedRecords < 1_000 || stagedRecords > 1_000_000) throw new Error(`--records must be a whole number from 1000 to 1000000, got ${text}`);
    }
    else if (arg === '--help' || arg === '-h') help = true;
    else throw new Error(`unknown option ${arg}; see --help`);
  }
  const base = PROFILES[quick ? 'quick' : 'default'];
  const profile = { ...base, ...(repeats === undefined ? {} : { repeats, operatorRepeats: repeats }), ...(stagedRecords === undefined ? {} : { stagedRecords }) };
  if (stagedOnly && gateOnly) throw new Error('give --staged-only or --gate-only, not both: each measures one phase');
  const other = stagedOnly ? '--staged-only' : gateOnly ? '--gate-only' : undefined;
  if (operatorOnly && other) throw new Error(`give --operator-only alone, not with ${other}: each measures one phase; run them one after the other`);
  const outName = `${stagedOnly ? 'staged-' : gateOnly ? 'gate-' : operatorOnly ? 'operator-' : ''}latest${quick ? '-quick' : ''}.json`;
  return {
    profile,
    out: out ?? join(REPO_ROOT, 'bench', 'results', outName),
    // The quick profile is a smoke run: it never replaces the published figures unless asked.
    // A staged-only run measures one phase: the docs show a whole bench.
    writeDocs: writeDocs && !quick && !stagedOnly,
    baseline,
    ...(compare ? { compare } : {}),
    ...(report ? { report } : {}),
    ...(spec ? { spec } : {}),
    stagedOnly,
    gateOnly,
    operatorOnly,
    help,
  };
}
