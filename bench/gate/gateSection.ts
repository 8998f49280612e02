import { DEFAULT_AIMD_RULE } from '../../lambdas/lib/rate/aimd';
import { withMarkedSection } from '../report/markedSection';
import { GATE_OVERHEAD_GOAL, RECOVERED_SHARE, type GateResults } from './summarizeGate';

const n = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const pct = (ratio: number, digits = 1) => (Number.isFinite(ratio) ? `${(ratio * 100).toFixed(digits)} %` : 'n/a');
const range = (s: { median: number; min: number; max: number }, f: (x: number) => string) => `${f(s.median)} (${f(s.min)} – ${f(s.max)})`;

/** Where the section sits in docs/benchmarks.md, so `--gate-only` can replace it alone. */
export const GATE_SECTION_START = '<!-- bench:gate:start -->';
export const GATE_SECTION_END = '<!-- bench:gate:end -->';

/**
 * The gate phase as a docs/benchmarks.md section (between its markers).
 * @example
 *   writeFileSync(doc, withGateSection(readFileSync(doc, 'utf8'), gateMarkdown(gate)));
 */
export function gateMarkdown(gate: GateResults): string {
  const r = gate.recovery;
  const wired = gate.gateReads > 0;
  const overhead = wired
    ? [
        `| gate reads per run | ${n(gate.gateReads)} for ${n(gate.batches)} batches |`,
        `| gate-read time ÷ worker time (the gate's share of the workers' time) | ${range(gate.shareOfWorkerTime, (x) => pct(x, 2))} — goal ≤ ${pct(GATE_OVERHEAD_GOAL, 0)}: ${gate.shareOfWorkerTime.median <= GATE_OVERHEAD_GOAL ? 'met' : 'NOT met'} |`,
        `| wall time with the gate ÷ without, − 1 (A/B, alternating) | ${range(gate.wallOverhead, (x) => pct(x, 1))} |`,
      ]
    : ['| gate reads per run | 0: the workers read no gate in this build (the gate check is not wired in), so there is nothing to measure |'];
  const changes = r.concurrencyChanges.length > 0 ? r.concurrencyChanges.map((c) => `${c.from}→${c.to}${c.afterFirstWriteSeconds === undefined ? '' : ` at ${n(c.afterFirstWriteSeconds, 1)} s`}${c.why ? ` (${c.why})` : ''}`).join(', ') : 'none recorded (no AIMD controller record for the run)';
  return [
    GATE_SECTION_START,
    '## Gate checks and recovery from throttling',
    '',
    `The gate's cost on the same ${n(gate.records)}-record run, ${gate.pairs.length} pair(s) in alternating order. Each worker reads the gate (its run and the breaker, one consistent BatchGetItem) before each batch. Measured two ways: the summed time of those reads over the summed time of the worker invocations in the same run (found and timed by SDK middleware, no code changed), and an A/B of wall time against the same run whose gate reads after the first are answered from memory (no round trip).`,
    '',
    '| | |',
    '|---|---|',
    ...overhead,
    '',
    `Recovery: the same run through the local cloud as \`npm start\` runs it (the Step Functions API, whose UpdateMapRun the workers' AIMD controller steers, and the breaker's alarms at the stack's default thresholds), its target requests through the fault proxy: undisturbed for ${n(r.faultsFromSeconds, 1)} s from its first target write, then \`--inject-faults ${r.faults}\` until ${n(r.faultsUntilSeconds, 1)} s, then none. Rate = target item writes that reached DynamoDB per second (proportional to records/s: every changed record is one write). The controller halves the concurrency on a throttled batch (at most once per ${DEFAULT_AIMD_RULE.decreaseCooldownSeconds} s) and adds one after ${DEFAULT_AIMD_RULE.increaseIntervalSeconds} s without a throttle, so the time to recover includes that healthy interval.`,
    '',
    '| | |',
    '|---|---|',
    `| unthrottled rate (after the ${2}-s ramp) | ${n(r.baselineWritesPerSecond)} writes/s |`,
    `| rate under the faults | ${n(r.throttledWritesPerSecond)} writes/s |`,
    `| time from the faults' end to ≥ ${pct(RECOVERED_SHARE, 0)} of the unthrottled rate (2-s mean) | ${r.secondsTo80Percent === null ? 'not within the run' : `${n(r.secondsTo80Percent, 1)} s`} |`,
    `| target requests throttled / failed / passed | ${n(r.requests.throttled ?? 0)} / ${n(r.requests.failed ?? 0)} / ${n(r.requests.passed ?? 0)} |`,
    `| concurrency changes | ${changes} |`,
    '',
    `Writes per second: ${r.writesPerSecond.map((x) => n(x)).join(' ')}`,
    GATE_SECTION_END,
  ].join('\n');
}

/**
 * The doc with its gate section replaced by `section`, or appended when it has none.
 * @example
 *   withGateSection('# Benchmarks\n', gateMarkdown(gate));
 */
export function withGateSection(doc: string, section: string): string {
  return withMarkedSection(doc, { start: GATE_SECTION_START, end: GATE_SECTION_END }, section);
}
