import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPriceTable } from '../../lambdas/lib/cost/priceTable';
import { benchSpecPath } from '../benchSpec';
import type { SeedResult } from '../jobs';
import { gitInfo, machineInfo } from '../machine';
import { fixtureDir } from '../measure';
import { REPO_ROOT, type BenchProfile } from '../options';
import { resultsHeader, type StagedBenchResults } from '../results';
import { defaultSettings, type Log } from '../runBench';
import { runChild } from '../runChild';
import { describeLoad, readLoad, stagedLoad } from './machineLoad';
import { measureStagedPairs } from './measureStaged';
import { stagedMetrics, stagedPhaseTitle } from './stagedMetrics';
import { STAGED_FIELDS } from './stagedSpec';
import { summarizeStaged } from './summarizeStaged';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/**
 * `npm run bench -- --staged-only`: seeds the staged size, then only the staged rollout's pairs.
 */
export async function runStagedBench(profile: BenchProfile, log: Log): Promise<StagedBenchResults> {
  const started = performance.now();
  const machine = machineInfo();
  const beforeBench = readLoad();
  const git = gitInfo();
  const prices = loadPriceTable();
  const defaults = defaultSettings();
  const workDir = mkdtempSync(join(tmpdir(), 'backfill-bench-'));
  const onSignal = () => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`[bench] staged rollout only, ${profile.name} profile on ${machine.cpuModel}, ${machine.cores} cores, ${describeLoad(beforeBench)}; spec ${relative(REPO_ROOT, benchSpecPath())} with batchSize ${defaults.batchSize}, maxConcurrency ${defaults.maxConcurrency}`);
  try {
    log(`[bench] phase 1/2 seeding ${fmt(profile.stagedRecords)} records (demo dataset)`);
    await runChild<SeedResult>({ kind: 'seed', dataDir: fixtureDir(workDir, profile.stagedRecords), records: profile.stagedRecords });
    log(`[bench] phase 2/2 ${stagedPhaseTitle(profile)} (${fmt((performance.now() - started) / 1000)} s elapsed)`);
    const pairs = await measureStagedPairs(workDir, profile.stagedRecords, defaults, profile.repeats, log);
    const load = stagedLoad(machine.cores, beforeBench, pairs.flatMap((pair) => (pair.load ? [pair.load] : [])));
    log(`[bench] ${load.verdict}`);
    const staged = { ...summarizeStaged(profile.stagedRecords, pairs, prices, STAGED_FIELDS.rollout), load };
    return {
      ...resultsHeader({ profile, started, machine, git, prices, defaults }),
      metrics: stagedMetrics(staged),
      staged,
    };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    rmSync(workDir, { recursive: true, force: true });
  }
}
