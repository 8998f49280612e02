import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { BENCH_SPEC_ENV } from './benchSpec';
import { parseBenchOptions, REPO_ROOT, USAGE } from './options';
import { compareMetrics, comparisonTable } from './report/compare';
import { benchmarksMarkdown } from './report/markdown';
import { stagedMarkdown } from './report/stagedSection';
import { sweepChartSvg } from './report/sweepChart';
import type { BenchResults } from './results';
import { runBench } from './runBench';
import { runStagedBench } from './staged/runStagedBench';
import { gateMarkdown, withGateSection } from './gate/gateSection';
import { runGateBench } from './gate/runGateBench';
import { OPERATOR_SECTION, operatorMarkdown, withOperatorSection } from './operator/operatorSection';
import { runOperatorBench } from './operator/runOperatorBench';
import { markedSection } from './report/markedSection';

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
  if (options.report) {
    writeDocs(readResults(options.report), options.baseline);
    return 0;
  }
  if (options.spec) process.env[BENCH_SPEC_ENV] = resolve(options.spec);
  if (options.stagedOnly) {
    const staged = await runStagedBench(options.profile, (line) => console.log(line));
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(staged, null, 2)}\n`);
    console.log(stagedMarkdown(staged.staged));
    console.log(`[bench] results: ${relative(process.cwd(), options.out)}`);
    return 0;
  }
  if (options.gateOnly) {
    const gate = await runGateBench(options.profile, (line) => console.log(line));
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(gate, null, 2)}\n`);
    console.log(gateMarkdown(gate.gate));
    if (options.writeDocs) writeGateSection(gateMarkdown(gate.gate));
    console.log(`[bench] results: ${relative(process.cwd(), options.out)}`);
    return 0;
  }
  if (options.operatorOnly) {
    const operator = await runOperatorBench(options.profile, (line) => console.log(line));
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(operator, null, 2)}\n`);
    const section = operatorMarkdown(operator.operator, operator);
    console.log(section);
    if (options.writeDocs) writeFileSync(DOC, withOperatorSection(existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n', section));
    console.log(`[bench] results: ${relative(process.cwd(), options.out)}`);
    return 0;
  }
  const measured = await runBench(options.profile, (line) => console.log(line));
  const gate = await runGateBench(options.profile, (line) => console.log(line));
  const results: BenchResults = { ...measured, metrics: { ...measured.metrics, ...gate.metrics }, gate: gate.gate };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`[bench] results: ${relative(process.cwd(), options.out)}`);
  if (options.writeDocs) writeDocs(results, options.baseline);
  console.log(`[bench] done in ${results.durationSeconds} s`);
  return 0;
}

/** docs/benchmarks.md and the sweep chart from one results file (and the baseline, when it is comparable). */
function writeDocs(results: BenchResults, baselinePath: string): void {
  const floor = results.metrics[`floor.${results.sweep.records}.recordsPerSecond`]?.median;
  writeFileSync(
    CHART,
    sweepChartSvg(
      results.sweep.cells.map((c) => ({ batchSize: c.batchSize, maxConcurrency: c.maxConcurrency, ...c.recordsPerSecond, label: `$${c.costPerMillionUsd.median.toFixed(3)}/M` })),
      {
        title: `Backfill records/s at ${results.sweep.records.toLocaleString('en-US')} records (labels: projected cost per million records)`,
        ...(floor === undefined ? {} : { floorRecordsPerSecond: floor }),
      },
    ),
  );
  const baseline = existsSync(baselinePath) ? readResults(baselinePath) : undefined;
  // The operator phase is measured by --operator-only alone: a rewrite of the page keeps its section.
  const operatorSection = existsSync(DOC) ? markedSection(readFileSync(DOC, 'utf8'), OPERATOR_SECTION) : undefined;
  const usable = baseline && baseline.schemaVersion === results.schemaVersion && baseline.profile === results.profile && baseline.generatedAt !== results.generatedAt ? baseline : undefined;
  writeFileSync(
    DOC,
    benchmarksMarkdown(results, {
      chartFile: relative(dirname(DOC), CHART),
      ...(usable ? { baseline: usable, baselineLabel: relative(REPO_ROOT, baselinePath) } : {}),
      ...(existsSync(FINDINGS) ? { findings: readFileSync(FINDINGS, 'utf8') } : {}),
    }),
  );
  if (results.gate) writeGateSection(gateMarkdown(results.gate));
  if (operatorSection) writeFileSync(DOC, withOperatorSection(readFileSync(DOC, 'utf8'), operatorSection));
  console.log(`[bench] docs: ${relative(process.cwd(), DOC)}, ${relative(process.cwd(), CHART)}`);
}

/** Replaces (or adds) the gate section of docs/benchmarks.md, leaving the rest as it is. */
function writeGateSection(section: string): void {
  writeFileSync(DOC, withGateSection(existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n', section));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[bench] failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
