import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseBenchOptions, REPO_ROOT, USAGE } from './options';
import { compareMetrics, comparisonTable } from './report/compare';
import { benchmarksMarkdown } from './report/markdown';
import { sweepChartSvg } from './report/sweepChart';
import { RESULTS_SCHEMA_VERSION, type BenchResults } from './results';
import { runBench } from './runBench';

const DOC = join(REPO_ROOT, 'docs', 'benchmarks.md');
const CHART = join(REPO_ROOT, 'docs', 'benchmarks-sweep.svg');
const FINDINGS = join(__dirname, 'report', 'findings.md');

const readResults = (path: string): BenchResults => JSON.parse(readFileSync(path, 'utf8')) as BenchResults;

/** `npm run bench`: see USAGE in options.ts. */
async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (options.compare) {
    const [before, after] = options.compare.map(readResults) as [BenchResults, BenchResults];
    if (before.schemaVersion !== after.schemaVersion) console.log(`note: schema versions differ (${before.schemaVersion} vs ${after.schemaVersion}); metrics may not mean the same`);
    console.log(comparisonTable(compareMetrics(before, after)));
    return 0;
  }
  const results = await runBench(options.profile, (line) => console.log(line));
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`[bench] results: ${relative(process.cwd(), options.out)}`);
  if (options.writeDocs) {
    const floor = results.metrics[`floor.${results.sweep.records}.recordsPerSecond`]?.median;
    writeFileSync(
      CHART,
      sweepChartSvg(
        results.sweep.cells.map((c) => ({ batchSize: c.batchSize, maxConcurrency: c.maxConcurrency, ...c.recordsPerSecond })),
        { title: `Backfill records/s at ${results.sweep.records.toLocaleString('en-US')} records (batchesPerWorker ${results.defaults.batchesPerWorker})`, ...(floor === undefined ? {} : { floorRecordsPerSecond: floor }) },
      ),
    );
    const baseline = existsSync(options.baseline) ? readResults(options.baseline) : undefined;
    const usable = baseline && baseline.schemaVersion === RESULTS_SCHEMA_VERSION && baseline.profile === results.profile ? baseline : undefined;
    writeFileSync(
      DOC,
      benchmarksMarkdown(results, {
        chartFile: relative(dirname(DOC), CHART),
        ...(usable ? { baseline: usable, baselineLabel: relative(REPO_ROOT, options.baseline) } : {}),
        ...(existsSync(FINDINGS) ? { findings: readFileSync(FINDINGS, 'utf8') } : {}),
      }),
    );
    console.log(`[bench] docs: ${relative(process.cwd(), DOC)}, ${relative(process.cwd(), CHART)}`);
  }
  console.log(`[bench] done in ${results.durationSeconds} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
