import { OPERATOR_SECTION, operatorMarkdown, withOperatorSection } from '../../bench/operator/operatorSection';
import { operatorMetrics, summarizeOperator, type LocalUpRun, type OperatorPair } from '../../bench/operator/summarizeOperator';
import { parseBenchOptions } from '../../bench/options';
import { markedSection } from '../../bench/report/markedSection';

const quiet = { loadAverage: 0.5, cpuPressurePercent: 3 };
const FROM = { specFile: 'examples/orders-spec.json', generatedAt: '2026-12-01T20:30:00.000Z', git: { commit: 'f88bb74aaaaabbbbbcccc', dirty: false }, machine: { cpuModel: 'AMD EPYC', cores: 2 } };

const localUp = (over: Partial<LocalUpRun>): LocalUpRun => ({
  newDirStartupMs: 4_300,
  keptDirStartupMs: 1_350,
  records: 20_000,
  runMs: 8_000,
  statusWhileRunningMs: 1_000,
  statusSawRunning: true,
  statusAfterEndMs: 700,
  newDirSeeded: true,
  ...over,
});

const pair = (order: OperatorPair['order'], a: Partial<LocalUpRun>, npmStartMs: number, after = quiet): OperatorPair => ({
  order,
  localUp: localUp(a),
  npmStart: { records: 20_000, runMs: npmStartMs, processMs: npmStartMs + 5_000 },
  load: { before: quiet, after },
});

describe('summarizeOperator', () => {
  // GIVEN three pairs: local up at 2,500, 2,000 and 2,000 records/s; npm start at 2,500, 2,500 and 2,000
  const pairs = [
    pair('local-up-first', { runMs: 8_000, newDirStartupMs: 4_000, statusWhileRunningMs: 900 }, 8_000),
    pair('npm-start-first', { runMs: 10_000, newDirStartupMs: 5_000, statusWhileRunningMs: 1_200 }, 8_000),
    pair('local-up-first', { runMs: 10_000, newDirStartupMs: 4_500, statusWhileRunningMs: 1_000 }, 10_000),
  ];

  it('gives medians with min and max, in seconds and records/s', () => {
    const o = summarizeOperator(2, quiet, pairs);
    expect(o.startupSeconds.newDir).toMatchObject({ median: 4.5, min: 4, max: 5 });
    expect(o.startupSeconds.keptDir.median).toBe(1.35);
    expect(o.statusSeconds.whileRunning).toMatchObject({ median: 1, min: 0.9, max: 1.2 });
    expect(o.statusSeconds.afterEnd.median).toBe(0.7);
    expect(o.recordsPerSecond.localUp).toMatchObject({ median: 2_000, min: 2_000, max: 2_500 });
    expect(o.recordsPerSecond.npmStart).toMatchObject({ median: 2_500, min: 2_000, max: 2_500 });
  });

  it('takes the ratio local up ÷ npm start within each pair, not of the medians', () => {
    const o = summarizeOperator(2, quiet, pairs);
    // 2500/2500, 2000/2500, 2000/2000: median 1 (the ratio of the medians would be 0.8)
    expect(o.ratio.runs).toEqual([1, 0.8, 1]);
    expect(o.ratio.median).toBe(1);
    expect(operatorMetrics(o)['operator.20000.localUpToNpmStartRatio']).toMatchObject({ median: 1, unit: 'ratio', better: 'higher' });
  });

  it('leaves out a status sample that found the run already ended', () => {
    const o = summarizeOperator(2, quiet, [pair('local-up-first', { statusWhileRunningMs: 300, statusSawRunning: false }, 8_000), pair('npm-start-first', { statusWhileRunningMs: 1_100 }, 8_000)]);
    expect(o.statusSeconds.whileRunning?.runs).toEqual([1.1]);
    const none = summarizeOperator(2, quiet, [pair('local-up-first', { statusSawRunning: false }, 8_000)]);
    expect(none.statusSeconds.whileRunning).toBeNull();
    expect(operatorMetrics(none)).not.toHaveProperty('operator.status.whileRunningSeconds');
    expect(operatorMarkdown(none, FROM)).toContain('| `status RUN` while a run is going | n/a (every run ended before `status` read it) |');
  });

  it('is quiet when every reading is within the cores, and LOADED when one after a pair is above them', () => {
    expect(summarizeOperator(2, quiet, pairs).load).toMatchObject({ loaded: false });
    const loaded = summarizeOperator(2, quiet, [pairs[0]!, pair('npm-start-first', {}, 8_000, { loadAverage: 3.4, cpuPressurePercent: 3 })]);
    expect(loaded.load.loaded).toBe(true);
    expect(loaded.load.verdict).toMatch(/^LOADED machine \(1-minute load up to 3\.4 on 2 core\(s\)/);
    expect(loaded.load.verdict).toMatch(/the wall times are noisy; re-run on a quiet machine \(the ratio, measured in pairs, moves less than the times\)$/);
    expect(operatorMarkdown(loaded, FROM)).toContain("| machine while measuring (the bench's own processes included: local up, watch and status run at once) | **LOADED machine");
    expect(operatorMarkdown(loaded, FROM)).toContain('| machine, before the bench | AMD EPYC, 2 cores; load 0.5, CPU pressure 3 % |');
  });
});

describe('operatorMarkdown and its place in docs/benchmarks.md', () => {
  const o = summarizeOperator(2, quiet, [pair('local-up-first', {}, 7_600)]);
  const section = operatorMarkdown(o, FROM);

  it('states the figures between markers', () => {
    expect(section.startsWith(OPERATOR_SECTION.start)).toBe(true);
    expect(section.endsWith(OPERATOR_SECTION.end)).toBe(true);
    expect(section).toContain('From `npm run bench -- --operator-only` (`bench/results/operator-latest.json`, commit `f88bb74aaaaa`, 2026-12-01).');
    expect(section).toContain('| `local up` start-up, new data dir (seeding the 20,000 demo records) | **4.30 s** (4.30 s – 4.30 s) |');
    expect(section).toContain('| records/s through `local up` (start + watch) | **2,500 records/s** (2,500 records/s – 2,500 records/s) |');
    expect(section).toContain('| **ratio local up ÷ npm start**, per pair | **0.95** (0.95 – 0.95) (pairs: 0.95) |');
  });

  it('says so when the quick profile seeded the data dir before local up', () => {
    const preseeded = summarizeOperator(2, quiet, [pair('local-up-first', { newDirSeeded: false, records: 2_000 }, 7_600)]);
    expect(operatorMarkdown(preseeded, FROM)).toContain('new data dir (pre-seeded: the demo was seeded before)');
  });

  it('replaces only its own section, and is kept when the page is rewritten', () => {
    const doc = `# Benchmarks\n\nbefore\n\n${OPERATOR_SECTION.start}\nold\n${OPERATOR_SECTION.end}\n\nafter\n`;
    expect(withOperatorSection(doc, section)).toBe(`# Benchmarks\n\nbefore\n\n${section}\n\nafter\n`);
    expect(withOperatorSection('# Benchmarks\n', section)).toBe(`# Benchmarks\n\n${section}\n`);
    expect(markedSection(withOperatorSection(doc, section), OPERATOR_SECTION)).toBe(section);
    expect(markedSection('# Benchmarks\n', OPERATOR_SECTION)).toBeUndefined();
  });
});

describe('npm run bench -- --operator-only', () => {
  it('measures the operator phase alone into operator-latest.json, 3 pairs of 20,000 records', () => {
    const options = parseBenchOptions(['--operator-only']);
    expect(options).toMatchObject({ operatorOnly: true, gateOnly: false, stagedOnly: false, writeDocs: true });
    expect(options.profile).toMatchObject({ operatorRecords: 20_000, operatorRepeats: 3 });
    expect(options.out).toMatch(/bench\/results\/operator-latest\.json$/);
  });

  it('--quick: 2,000 records, 1 pair, its own results file and no docs; --repeats sets the pairs', () => {
    const quick = parseBenchOptions(['--operator-only', '--quick']);
    expect(quick).toMatchObject({ writeDocs: false, profile: { operatorRecords: 2_000, operatorRepeats: 1 } });
    expect(quick.out).toMatch(/operator-latest-quick\.json$/);
    expect(parseBenchOptions(['--operator-only', '--repeats', '5']).profile.operatorRepeats).toBe(5);
  });

  it('is refused with --staged-only or --gate-only, naming the other option', () => {
    expect(() => parseBenchOptions(['--operator-only', '--staged-only'])).toThrow('give --operator-only alone, not with --staged-only: each measures one phase');
    expect(() => parseBenchOptions(['--gate-only', '--operator-only'])).toThrow('give --operator-only alone, not with --gate-only: each measures one phase');
  });
});
