import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TABLE } from '../../infra/definitions';
import { GateReadMeter } from '../../bench/gate/GateReadMeter';
import { gateMarkdown, GATE_SECTION_END, GATE_SECTION_START, withGateSection } from '../../bench/gate/gateSection';
import type { GateOverheadResult, ThrottleRecoveryResult } from '../../bench/gate/gateJobs';
import { summarizeGate, summarizeRecovery } from '../../bench/gate/summarizeGate';
import { parseBenchOptions } from '../../bench/options';
import { documentClient } from '../../lambdas/lib/aws/clients';
import { createTable, uniqueName, useEmulators } from '../support';

describe('GateReadMeter', () => {
  const env = useEmulators('dynalite');
  const ledgerTable = uniqueName('ledger');
  const gateRead = () => new BatchGetCommand({ RequestItems: { [ledgerTable]: { Keys: [{ pk: 'RUN#r1', sk: 'RUN' }, { pk: 'BREAKER', sk: 'BREAKER' }], ConsistentRead: true } } });
  const otherRead = () => new BatchGetCommand({ RequestItems: { [ledgerTable]: { Keys: [{ pk: 'RUN#r1', sk: 'RUN' }] } } });
  beforeAll(async () => {
    await createTable(env().clients, ledgerTable, LEDGER_TABLE);
    await env().clients.ddb.send(new PutCommand({ TableName: ledgerTable, Item: { pk: 'RUN#r1', sk: 'RUN', status: 'RUNNING' } }));
  });

  it('counts and times the BatchGetItems that read the breaker with the run, and nothing else', async () => {
    const ddb = env().adopt({ ...env().clients, ddb: documentClient({ endpoint: env().ddbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }).ddb;
    const meter = new GateReadMeter({ memoize: false });
    meter.attach(ddb);
    await ddb.send(gateRead());
    await ddb.send(gateRead());
    await ddb.send(otherRead());
    const usage = meter.usage();
    expect(usage).toMatchObject({ reads: 2, answeredFromMemory: 0 });
    expect(usage.totalMs).toBeGreaterThan(0);
  });

  it('with memoize, answers every gate read after the first from the first answer, without a request', async () => {
    const ddb = env().adopt({ ...env().clients, ddb: documentClient({ endpoint: env().ddbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }) }).ddb;
    const meter = new GateReadMeter({ memoize: true });
    meter.attach(ddb);
    const first = await ddb.send(gateRead());
    // The run changes in the ledger: a memoized read does not see it (the A/B's "no round trip" side)
    await env().clients.ddb.send(new PutCommand({ TableName: ledgerTable, Item: { pk: 'RUN#r1', sk: 'RUN', status: 'PAUSED' } }));
    const second = await ddb.send(gateRead());
    expect(second.Responses).toEqual(first.Responses);
    expect(first.Responses?.[ledgerTable]).toEqual([{ pk: 'RUN#r1', sk: 'RUN', status: 'RUNNING' }]);
    expect(meter.usage()).toMatchObject({ reads: 2, answeredFromMemory: 1 });
    await env().clients.ddb.send(new PutCommand({ TableName: ledgerTable, Item: { pk: 'RUN#r1', sk: 'RUN', status: 'RUNNING' } }));
  });
});

const recoveryRun = (writesPerBucket: number[], faultsFromMs: number, faultsUntilMs: number): ThrottleRecoveryResult => ({
  kind: 'throttle-recovery',
  records: 1000,
  faults: 'throttle=0.5',
  wallMs: writesPerBucket.length * 1000,
  bucketMs: 1000,
  writesPerBucket,
  faultsFromMs,
  faultsUntilMs,
  requests: { throttled: 10, failed: 0, passed: 100, spared: 5 },
  concurrencyChanges: [{ at: 't1', from: 2, to: 1, why: 'throttles' }, { at: 't2', from: 1, to: 2, why: 'healthy', afterFirstWriteSeconds: 52.25 }],
});

describe('summarizeRecovery', () => {
  it('takes the baseline after the ramp and before the faults, and the first 2-s window back at 80 % after them', () => {
    // GIVEN 100 writes/s after a slow first 2 s, 20/s under faults from 5 s to 8 s, then 60, 80, 90 ...
    const result = summarizeRecovery(recoveryRun([10, 50, 100, 100, 100, 20, 20, 20, 60, 80, 90, 100, 100, 40], 5000, 8000));
    expect(result.baselineWritesPerSecond).toBe(100);
    expect(result.throttledWritesPerSecond).toBe(20);
    // 60+80 = 70/s; 80+90 = 85/s ≥ 80: that window ends at 11 s, 3 s after the faults ended
    expect(result.secondsTo80Percent).toBe(3);
  });

  it('says null when the rate is not back within the run (the last, cut-short bucket never counts)', () => {
    const result = summarizeRecovery(recoveryRun([100, 100, 100, 100, 20, 20, 30, 40, 100], 4000, 6000));
    expect(result.secondsTo80Percent).toBeNull();
  });
});

const overheadRun = (memoizeGate: boolean, wallMs: number, gateMs: number, workerMs: number): GateOverheadResult => ({
  kind: 'gate-overhead',
  records: 1000,
  memoizeGate,
  wallMs,
  workerInvocations: 4,
  workerMs,
  batches: 10,
  gate: { reads: 10, answeredFromMemory: memoizeGate ? 9 : 0, totalMs: gateMs },
});

describe('summarizeGate and its doc section', () => {
  const pairs = [
    { measured: overheadRun(false, 10_200, 20, 1000), memoized: overheadRun(true, 10_000, 2, 990) },
    { measured: overheadRun(false, 9_900, 40, 1000), memoized: overheadRun(true, 10_000, 2, 990) },
  ];
  const gate = summarizeGate(1000, pairs, recoveryRun([10, 50, 100, 100, 100, 20, 20, 20, 60, 80, 90, 100, 100, 40], 5000, 8000));

  it("gives the gate's share of the workers' time and the A/B's wall overhead per pair", () => {
    expect(gate.shareOfWorkerTime.runs).toEqual([0.02, 0.04]);
    expect(gate.wallOverhead.runs.map((x) => Number(x.toFixed(3)))).toEqual([0.02, -0.01]);
    expect(gate.gateReads).toBe(10);
  });

  it('writes the figures between markers, replacing an earlier section and keeping the rest of the doc', () => {
    const section = gateMarkdown(gate);
    expect(section.startsWith(GATE_SECTION_START)).toBe(true);
    expect(section.endsWith(GATE_SECTION_END)).toBe(true);
    expect(section).toContain("| gate-read time ÷ worker time (the gate's share of the workers' time) | 3.00 % (2.00 % – 4.00 %) — goal ≤ 3 %: met |");
    expect(section).toContain('| time from the faults\' end to ≥ 80 % of the unthrottled rate (2-s mean) | 3.0 s |');
    // Placed on the run's timeline when the job knew when the first write was.
    expect(section).toContain('| concurrency changes | 2→1 (throttles), 1→2 at 52.3 s (healthy) |');
    expect(section).toContain('adds one after 30 s without a throttle');
    const doc = withGateSection(`# Benchmarks\n\nbefore\n\n${GATE_SECTION_START}\nold\n${GATE_SECTION_END}\n\nafter\n`, section);
    expect(doc).toBe(`# Benchmarks\n\nbefore\n\n${section}\n\nafter\n`);
    expect(withGateSection('# Benchmarks\n', section)).toBe(`# Benchmarks\n\n${section}\n`);
  });

  it('says there is nothing to measure when the workers read no gate', () => {
    const unwired = summarizeGate(1000, pairs.map((p) => ({ measured: { ...p.measured, gate: { reads: 0, answeredFromMemory: 0, totalMs: 0 } }, memoized: p.memoized })), recoveryRun([1, 2, 3, 4], 1000, 2000));
    expect(gateMarkdown(unwired)).toContain('| gate reads per run | 0: the workers read no gate in this build');
  });
});

describe('npm run bench -- --gate-only', () => {
  it('measures the gate phase alone into gate-latest.json, and is refused with --staged-only', () => {
    const options = parseBenchOptions(['--gate-only']);
    expect(options).toMatchObject({ gateOnly: true, stagedOnly: false, writeDocs: true });
    expect(options.out).toMatch(/bench\/results\/gate-latest\.json$/);
    expect(parseBenchOptions(['--gate-only', '--quick']).out).toMatch(/gate-latest-quick\.json$/);
    expect(() => parseBenchOptions(['--gate-only', '--staged-only'])).toThrow('give --staged-only or --gate-only, not both');
  });
});
