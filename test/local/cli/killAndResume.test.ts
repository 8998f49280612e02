import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { reportKey } from '../../../lambdas/lib/artifacts';
import type { RunReport } from '../../../lambdas/lib/run';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { readLedger, type LedgerState } from './dataDirLedger';
import type { FreezePoint } from './freezeHook';
import { killWhenFrozen, runCli, startCli, type CliResult } from './runCli';

jest.setTimeout(300_000);

const RECORDS = '3000';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a test freezes the first process and SIGKILLs it, and how the ledger proves the kill landed there. */
interface KillPoint {
  readonly phase: string;
  readonly freezeAt: (runId: string) => FreezePoint;
  readonly expectLanded: (ledger: LedgerState, planned: number) => void;
  /** Whether to check, after the resume, that one more start only shows the finished run's report. */
  readonly thenAgain?: boolean;
}

const KILL_POINTS: readonly KillPoint[] = [
  {
    phase: 'setup: the run started and planned, no batch claimed yet',
    // The progress line the CLI prints when the Map starts, before its first child.
    freezeAt: () => ({ stderr: 'batches 0/\\d+ \\(0%\\)' }),
    expectLanded: (ledger) => {
      expect(ledger.run).toMatchObject({ status: 'RUNNING', starts: 1, planHash: expect.any(String) });
      expect(ledger.batches).toBe(0);
    },
  },
  {
    phase: 'mid-map: some but not all batches done',
    // The first progress line past 30% of the batches (the CLI prints one per tenth).
    freezeAt: () => ({ stderr: 'batches \\d+/\\d+ \\(3\\d%\\)' }),
    expectLanded: (ledger, planned) => {
      expect(ledger.run).toMatchObject({ status: 'RUNNING', starts: 1 });
      expect(ledger.byStatus.DONE).toBeGreaterThan(0);
      expect(ledger.byStatus.DONE).toBeLessThan(planned);
    },
    thenAgain: true,
  },
  {
    phase: 'finalize: every batch done, the report being written, the run not yet SUCCEEDED',
    // Finalize writes the report to S3 before it marks the run SUCCEEDED; freeze as s3rver receives it.
    freezeAt: (runId) => ({ request: `^PUT /${escapeRegExp(`${LOCAL_NAMES.artifactsBucket}/${reportKey({ runId })}`)}` }),
    expectLanded: (ledger, planned) => {
      expect(ledger.run).toMatchObject({ status: 'RUNNING', starts: 1 });
      expect(ledger).toMatchObject({ batches: planned, byStatus: { DONE: planned } });
    },
  },
];

describe('npm start -- --data-dir DIR, killed with SIGKILL at a known point and started again', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-cli-'));
  const specFile = join(work, 'spec.json');
  const seededDir = join(work, 'seeded');
  const args = (dir: string) => ['--data-dir', dir, '--records', RECORDS, '--spec', specFile, '--json'];
  /** A data dir holding the seeded demo dataset and nothing else (seeding once saves each test doing it). */
  const seededCopy = (name: string) => {
    const dir = join(work, name);
    cpSync(seededDir, dir, { recursive: true });
    return dir;
  };
  let referenceReport: RunReport;
  let referenceDump: string;
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    // Long leases: the batches the killed process held must be taken over at once (its data dir lock
    // proves it gone), not after 600 s (or never: the worker's retries give up long before).
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 2, leaseSeconds: 600 }));
    expect((await runCli(['--data-dir', seededDir, '--records', RECORDS, '--seed-only'])).code).toBe(0);
    // GIVEN an uninterrupted reference run in its own data dir
    const referenceDir = seededCopy('reference');
    const reference = await runCli(args(referenceDir));
    expect(reference.code).toBe(0);
    referenceReport = JSON.parse(reference.stdout) as RunReport;
    const dump = await runCli(['--data-dir', referenceDir, '--dump', 'order-summaries']);
    expect(dump.code).toBe(0);
    referenceDump = dump.stdout;
    expect(referenceDump.split('\n').filter(Boolean).length).toBeGreaterThan(2_900);
  });

  it.each(KILL_POINTS.map((point) => [point.phase, point] as const))(
    'killed in %s, resumes the same run and ends with the same target table and checksums as a run never interrupted',
    async (phase, point) => {
      // WHEN a run is frozen at that point and killed there
      const dir = seededCopy(phase.slice(0, phase.indexOf(':')));
      const killed: CliResult = await killWhenFrozen(startCli(args(dir), { freezeAt: point.freezeAt(referenceReport.runId) }), `in ${phase}`);

      // THEN the ledger it left shows the kill landed in that phase
      point.expectLanded(await readLedger(dir, referenceReport.runId), referenceReport.batches.planned);

      // WHEN the same command runs again
      const resumed = await runCli(args(dir));

      // THEN it resumed the same run and its results equal the reference's
      const transcript = `killed:\n${killed.stderr}\nresumed:\n${resumed.stderr}`;
      expect({ code: resumed.code, resumed: /resuming run/.test(resumed.stderr), transcript }).toEqual({ code: 0, resumed: true, transcript });
      const report = JSON.parse(resumed.stdout) as RunReport;
      expect(report.runId).toBe(referenceReport.runId);
      expect(report.starts).toBe(2);
      expect(report.planHash).toBe(referenceReport.planHash);
      expect(report.targetChecksum).toBe(referenceReport.targetChecksum);
      expect(report.counts).toEqual(referenceReport.counts);
      // The whole report equals the reference's but for timings and what one process saw of the run
      const comparable = ({ startedAt, finishedAt, starts, elapsedMs, recordsPerSecond, maxStatePayloadBytes, maxStatePayloadAt, stateTransitions, childExecutions, resumedFromEarlierProcess, ...rest }: Record<string, unknown>) => rest;
      expect(comparable(report as unknown as Record<string, unknown>)).toEqual(comparable(referenceReport as unknown as Record<string, unknown>));
      const dump = await runCli(['--data-dir', dir, '--dump', 'order-summaries']);
      expect(dump.stdout).toBe(referenceDump);

      if (!point.thenAgain) return;
      // AND running it once more only shows the finished run's report
      const again = await runCli(args(dir));
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/already SUCCEEDED/);
      expect(JSON.parse(again.stdout).targetChecksum).toBe(referenceReport.targetChecksum);
    },
  );
});
