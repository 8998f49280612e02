import { withMarkedSection, type SectionMarkers } from '../report/markedSection';
import type { ResultsHeader } from '../results';
import { describeLoad } from '../staged/machineLoad';
import type { Summary } from '../stats';
import type { OperatorResults } from './summarizeOperator';

/** Where the section sits in docs/benchmarks.md, so `--operator-only` can replace it alone. */
export const OPERATOR_SECTION: SectionMarkers = { start: '<!-- bench:operator:start -->', end: '<!-- bench:operator:end -->' };

const num = (value: number, digits: number) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const range = (s: Summary, f: (v: number) => string) => `**${f(s.median)}** (${f(s.min)} – ${f(s.max)})`;
const sec = (digits: number) => (v: number) => `${num(v, digits)} s`;
const perSecond = (v: number) => `${num(v, 0)} records/s`;

/**
 * The operator phase as a docs/benchmarks.md section (between its markers), also printed by the bench.
 * @example
 *   writeFileSync(doc, withOperatorSection(readFileSync(doc, 'utf8'), operatorMarkdown(operator, results)));
 */
export function operatorMarkdown(o: OperatorResults, from: Pick<ResultsHeader, 'specFile' | 'generatedAt'> & { readonly git: Pick<ResultsHeader['git'], 'commit'>; readonly machine: Pick<ResultsHeader['machine'], 'cpuModel' | 'cores'> }): string {
  const records = o.records.toLocaleString('en-US');
  const pairs = o.pairs.length;
  const whileRunning = o.statusSeconds.whileRunning;
  return [
    OPERATOR_SECTION.start,
    '## Operator CLI and `local up`',
    '',
    `From \`npm run bench -- --operator-only\` (\`bench/results/operator-latest.json\`, commit \`${from.git.commit.slice(0, 12)}\`, ${from.generatedAt.slice(0, 10)}). ` +
      `Real processes (\`bin/backfill\`), ${pairs} pair(s) in alternating order (local up first, then npm start first, …); \`${from.specFile}\`, ${records} records. ` +
      'Start-up: from spawning `backfill local up --port 0` to `DIR/endpoints.json` written and a ListStateMachines answered on its Step Functions URL; ' +
      'the second start is on the same data dir after a SIGTERM and its exit. `status`: the whole `backfill --local DIR status RUN` process, after the measured run ended, and while a second run (started on the kept data dir, its record RUNNING) is going. ' +
      'records/s: `backfill start` then `backfill watch` (another process) until the run ends, execution stopDate − startDate from DescribeExecution; ' +
      '`npm start --records N --spec … --json` in one process, its report\'s `elapsedMs` (StartExecution to the end, not seeding or start-up).',
    '',
    `| figure (median, min – max of ${pairs}) | value |`,
    '|---|---|',
    `| \`local up\` start-up, new data dir${o.startupSeconds.newDirSeeded ? ` (seeding the ${records} demo records)` : ' (pre-seeded: the demo was seeded before)'} | ${range(o.startupSeconds.newDir, sec(2))} |`,
    `| \`local up\` start-up, kept data dir (second start) | ${range(o.startupSeconds.keptDir, sec(2))} |`,
    `| \`status RUN\` while a run is going | ${whileRunning ? range(whileRunning, sec(2)) : 'n/a (every run ended before `status` read it)'} |`,
    `| \`status RUN\` after the run ended | ${range(o.statusSeconds.afterEnd, sec(2))} |`,
    `| records/s through \`local up\` (start + watch) | ${range(o.recordsPerSecond.localUp, perSecond)} |`,
    `| records/s through \`npm start\` (one process) | ${range(o.recordsPerSecond.npmStart, perSecond)} |`,
    `| **ratio local up ÷ npm start**, per pair | ${range(o.ratio, (v) => num(v, 2))} (pairs: ${o.ratio.runs.map((v) => num(v, 2)).join(', ')}) |`,
    `| machine, before the bench | ${from.machine.cpuModel}, ${from.machine.cores} cores; ${describeLoad(o.load.beforeBench)} |`,
    `| machine while measuring (the bench's own processes included: local up, watch and status run at once) | ${o.load.loaded ? `**${o.load.verdict}**` : o.load.verdict} |`,
    OPERATOR_SECTION.end,
  ].join('\n');
}

/**
 * The doc with its operator section replaced by `section`, or appended when it has none.
 * @example
 *   withOperatorSection('# Benchmarks\n', operatorMarkdown(operator, results));
 */
export function withOperatorSection(doc: string, section: string): string {
  return withMarkedSection(doc, OPERATOR_SECTION, section);
}
