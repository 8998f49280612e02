import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadPriceTable } from '../../lambdas/lib/cost/priceTable';
import { benchSpecPath } from '../benchSpec';
import { gitInfo, machineInfo } from '../machine';
import { REPO_ROOT, type BenchProfile } from '../options';
import { resultsHeader, type Metric, type ResultsHeader } from '../results';
import { defaultSettings, type Log } from '../runBench';
import { describeLoad, readLoad } from '../staged/machineLoad';
import { ChildProcesses } from './ChildProcesses';
import { measureLocalUpSide, measureNpmStartSide } from './operatorRuns';
import { operatorMetrics, summarizeOperator, type LocalUpRun, type NpmStartRun, type OperatorPair, type OperatorResults } from './summarizeOperator';

/** `npm run bench -- --operator-only`: the operator phase alone. */
export interface OperatorBenchResults extends ResultsHeader {
  readonly metrics: Readonly<Record<string, Metric>>;
  readonly operator: OperatorResults;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * `npm run bench -- --operator-only`: `repeats` pairs of real processes, order alternating, each
 * pair a `local up` side (start-ups, status, start + watch) and an `npm start` side of the same
 * spec and records; the load read before the bench and around each pair. Every spawned process is
 * killed and the work dir removed on the way out, Ctrl-C included.
 */
export async function runOperatorBench(profile: BenchProfile, log: Log): Promise<OperatorBenchResults> {
  const started = performance.now();
  const machine = machineInfo();
  const beforeBench = readLoad();
  const git = gitInfo();
  const prices = loadPriceTable();
  const spec = benchSpecPath();
  const records = profile.operatorRecords;
  const repeats = profile.operatorRepeats;
  const workDir = mkdtempSync(join(tmpdir(), 'backfill-bench-operator-'));
  const processes = new ChildProcesses(REPO_ROOT);
  const onSignal = () => {
    processes.killAll();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`[bench] operator CLI and local up only, ${profile.name} profile on ${machine.cpuModel}, ${machine.cores} cores, ${describeLoad(beforeBench)}; ${relative(REPO_ROOT, spec)}, ${fmt(records)} records, ${repeats} pair(s)`);
  try {
    const pairs: OperatorPair[] = [];
    for (let r = 1; r <= repeats; r++) {
      const localUpFirst = r % 2 === 1;
      const before = readLoad();
      let localUp: LocalUpRun | undefined;
      let npmStart: NpmStartRun | undefined;
      for (const side of localUpFirst ? (['local-up', 'npm-start'] as const) : (['npm-start', 'local-up'] as const)) {
        if (side === 'local-up') localUp = await measureLocalUpSide(processes, workDir, `r${r}`, spec, records);
        else npmStart = await measureNpmStartSide(processes, spec, records);
      }
      const pair: OperatorPair = { order: localUpFirst ? 'local-up-first' : 'npm-start-first', localUp: localUp!, npmStart: npmStart!, load: { before, after: readLoad() } };
      pairs.push(pair);
      const a = pair.localUp;
      const b = pair.npmStart;
      log(
        `        pair ${r}/${repeats} (${pair.order}): local up ${fmt(a.newDirStartupMs / 1000, 2)} s new dir, ${fmt(a.keptDirStartupMs / 1000, 2)} s kept; ` +
          `status ${fmt(a.statusWhileRunningMs / 1000, 2)} s running${a.statusSawRunning ? '' : ' (the run had ended: not counted)'}, ${fmt(a.statusAfterEndMs / 1000, 2)} s ended; ` +
          `${fmt(a.records / (a.runMs / 1000))} records/s local up (${fmt(a.runMs / 1000, 1)} s), ${fmt(b.records / (b.runMs / 1000))} npm start (${fmt(b.runMs / 1000, 1)} s); ` +
          `${describeLoad(pair.load.before)} → ${describeLoad(pair.load.after)}`,
      );
    }
    const operator = summarizeOperator(machine.cores, beforeBench, pairs);
    log(`[bench] ${operator.load.verdict}`);
    return {
      ...resultsHeader({ profile: { name: profile.name, repeats }, started, machine, git, prices, defaults: defaultSettings() }),
      metrics: operatorMetrics(operator),
      operator,
    };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await processes.killAllAndWait();
    rmSync(workDir, { recursive: true, force: true });
  }
}
