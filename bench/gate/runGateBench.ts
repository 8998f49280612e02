import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPriceTable } from '../../lambdas/lib/cost/priceTable';
import type { SeedResult } from '../jobs';
import { gitInfo, machineInfo } from '../machine';
import { fixtureDir, nextRunId } from '../measure';
import type { BenchProfile } from '../options';
import { resultsHeader, type Metric, type ResultsHeader } from '../results';
import { defaultSettings, type Log } from '../runBench';
import { runChild } from '../runChild';
import type { GateOverheadResult, ThrottleRecoveryResult } from './gateJobs';
import { gateMetrics, summarizeGate, type GateOverheadPair, type GateResults } from './summarizeGate';

/** `npm run bench -- --gate-only`: the gate phase alone. */
export interface GateBenchResults extends ResultsHeader {
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly gate: GateResults;
}

/** The gate phase's sizes and the recovery run's timeline, per profile. */
const GATE_SETTINGS: Readonly<Record<BenchProfile['name'], { records: number; faults: string; baselineSeconds: number; throttleSeconds: number }>> = {
  default: { records: 100_000, faults: 'throttle=0.5', baselineSeconds: 10, throttleSeconds: 10 },
  quick: { records: 5_000, faults: 'throttle=0.5', baselineSeconds: 2, throttleSeconds: 2 },
};

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Seeds the gate phase's dataset, then measures the gate's cost (`repeats` pairs, with and without
 * the per-batch gate read, order alternating) and one recovery from injected throttling; each run
 * in its own process.
 */
export async function measureGate(workDir: string, profile: BenchProfile, log: Log): Promise<GateResults> {
  const settings = GATE_SETTINGS[profile.name];
  const { records } = settings;
  const spec = defaultSettings();
  const dir = fixtureDir(workDir, records);
  log(`[bench] gate: seeding ${fmt(records)} records`);
  await runChild<SeedResult>({ kind: 'seed', dataDir: dir, records });
  const run = (memoizeGate: boolean) => runChild<GateOverheadResult>({ kind: 'gate-overhead', fixtureDir: dir, records, spec, runId: nextRunId(`gate-${memoizeGate ? 'memo' : 'read'}`), memoizeGate });
  const pairs: GateOverheadPair[] = [];
  for (let r = 1; r <= profile.repeats; r++) {
    const memoizedFirst = r % 2 === 0;
    const first = await run(memoizedFirst);
    const second = await run(!memoizedFirst);
    const pair = memoizedFirst ? { memoized: first, measured: second } : { measured: first, memoized: second };
    pairs.push(pair);
    const m = pair.measured;
    log(
      `        gate pair ${r}/${profile.repeats}: ${fmt(m.gate.reads)} gate reads, ${fmt(m.gate.totalMs)} ms of ${fmt(m.workerMs)} ms worker time (${fmt((m.gate.totalMs / m.workerMs) * 100, 2)} %); ` +
        `wall ${fmt(m.wallMs / 1000, 1)} s with, ${fmt(pair.memoized.wallMs / 1000, 1)} s without`,
    );
  }
  log(`[bench] gate: recovery run, ${settings.faults} from ${settings.baselineSeconds} s to ${settings.baselineSeconds + settings.throttleSeconds} s after the first write`);
  const recovery = await runChild<ThrottleRecoveryResult>({
    kind: 'throttle-recovery',
    fixtureDir: dir,
    records,
    spec,
    runId: nextRunId('recovery'),
    faults: settings.faults,
    baselineSeconds: settings.baselineSeconds,
    throttleSeconds: settings.throttleSeconds,
    bucketMs: 1000,
  });
  const gate = summarizeGate(records, pairs, recovery);
  log(`        recovery: ${gate.recovery.secondsTo80Percent === null ? 'not within the run' : `${fmt(gate.recovery.secondsTo80Percent, 1)} s`} to 80 % of ${fmt(gate.recovery.baselineWritesPerSecond)} writes/s (${fmt(gate.recovery.throttledWritesPerSecond)} under faults)`);
  return gate;
}

/** `npm run bench -- --gate-only`: the gate phase in its own work dir, with a results header. */
export async function runGateBench(profile: BenchProfile, log: Log): Promise<GateBenchResults> {
  const started = performance.now();
  const machine = machineInfo();
  const git = gitInfo();
  const prices = loadPriceTable();
  const workDir = mkdtempSync(join(tmpdir(), 'backfill-bench-gate-'));
  const onSignal = () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`[bench] gate checks and throttling recovery only, ${profile.name} profile on ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage.start}`);
  try {
    const gate = await measureGate(workDir, profile, log);
    return { ...resultsHeader({ profile, started, machine, git, prices, defaults: defaultSettings() }), metrics: gateMetrics(gate), gate };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(workDir, { recursive: true, force: true });
  }
}
