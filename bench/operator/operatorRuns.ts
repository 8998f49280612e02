import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { getRun } from '../../lambdas/lib/ledger';
import { DEFAULT_RECORDS } from '../../local/cli/options';
import { localClients } from '../../local/aws';
import type { ChildProcesses } from './ChildProcesses';
import { BACKFILL_BIN, LOCAL_CREDENTIALS, startLocalUp, type LocalUpProcess } from './localUpProcess';
import type { LocalUpRun, NpmStartRun } from './summarizeOperator';

/** `npm start` as package.json runs it, without npm in front. */
const NPM_START = ['scripts/node22.sh', '--import', 'tsx', 'local/cli/main.ts'];
const RUN_RECORD_DEADLINE_MS = 60_000;

/** What `npm start --json` prints for a run that succeeded (local/cli/formatReport.ts LocalRunSummary). */
const NpmStartReportSchema = z.object({
  runId: z.string(),
  status: z.literal('SUCCEEDED'),
  records: z.number().int().positive(),
  /** From just before StartExecution to the execution's end: the run, not the process or the seeding. */
  elapsedMs: z.number().positive(),
});

/** The execution output of a succeeded run (its run report), as far as the bench reads it. */
const RunReportSchema = z.object({ records: z.number().int().positive() });

/** The last line of stdout that is a JSON object, parsed. */
function lastJsonLine(stdout: string): unknown {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no JSON report on stdout: ${stdout.slice(-500)}`);
  return JSON.parse(line) as unknown;
}

/** The execution ARN `backfill start` prints. */
function executionArnOf(stdout: string): string {
  const match = /^\s*execution\s+(arn:\S+)$/m.exec(stdout);
  if (!match) throw new Error(`backfill start printed no execution ARN: ${stdout}`);
  return match[1]!;
}

/** Polls the ledger until the run's record says RUNNING (StartRun created it), so `status` sees a run going. */
async function untilRunRecordRunning(cloud: LocalUpProcess, runId: string): Promise<void> {
  const clients = localClients({ dynamodbEndpoint: cloud.endpoints.dynamodb, s3Endpoint: cloud.endpoints.s3, region: cloud.endpoints.region });
  const deps = { clients, ledgerTable: cloud.endpoints.resources.ledgerTable };
  const started = performance.now();
  try {
    while ((await getRun(deps, runId))?.status !== 'RUNNING') {
      if (performance.now() - started > RUN_RECORD_DEADLINE_MS) throw new Error(`run ${runId} was not RUNNING within ${RUN_RECORD_DEADLINE_MS / 1000} s of its start`);
      await sleep(50);
    }
  } finally {
    clients.ddb.destroy();
    clients.s3.destroy();
  }
}

/** Seconds from the execution's start to its stop (DescribeExecution), and the records its report counts. */
async function executionTimes(cloud: LocalUpProcess, executionArn: string): Promise<{ runMs: number; records: number }> {
  const sfn = new SFNClient({ endpoint: cloud.endpoints.stepfunctions, region: cloud.endpoints.region, credentials: LOCAL_CREDENTIALS });
  try {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'SUCCEEDED' || !execution.startDate || !execution.stopDate) throw new Error(`execution ${executionArn} ended ${execution.status}, not SUCCEEDED`);
    const report = RunReportSchema.parse(JSON.parse(execution.output ?? 'null'));
    return { runMs: execution.stopDate.getTime() - execution.startDate.getTime(), records: report.records };
  } finally {
    sfn.destroy();
  }
}

/**
 * One `local up` side of a pair, on a new data dir under `workDir` (removed at the end):
 * start-up on the new dir (seeding its demo), `start` + `watch` of the spec's run (records/s from
 * DescribeExecution), `status` after it ended; SIGTERM; start-up on the kept dir, a second run
 * started and `status` timed while it goes; SIGTERM.
 * `records` other than local up's own 20,000 (the quick profile) are seeded by `npm start --seed-only`
 * first, so the "new" start-up then seeds nothing.
 */
export async function measureLocalUpSide(processes: ChildProcesses, workDir: string, label: string, spec: string, records: number): Promise<LocalUpRun> {
  const dataDir = join(workDir, `local-up-${label}`);
  const cli = (...args: string[]) => [BACKFILL_BIN, ['--local', dataDir, ...args]] as const;
  try {
    if (records !== DEFAULT_RECORDS) {
      mkdirSync(dataDir, { recursive: true });
      await processes.runOk('bash', [...NPM_START, '--seed-only', '--data-dir', dataDir, '--records', String(records)]);
    }
    let cloud = await startLocalUp(processes, dataDir);
    const newDirStartupMs = cloud.startupMs;
    const runId = `opbench-${label}`;
    const started = await processes.runOk(...cli('start', '--spec', spec, '--name', runId));
    const executionArn = executionArnOf(started.stdout);
    await processes.runOk(...cli('watch', runId));
    const run = await executionTimes(cloud, executionArn);
    const afterEnd = await processes.runOk(...cli('status', runId));
    await cloud.stop();

    cloud = await startLocalUp(processes, dataDir);
    const keptDirStartupMs = cloud.startupMs;
    const second = `${runId}-status`;
    await processes.runOk(...cli('start', '--spec', spec, '--name', second));
    await untilRunRecordRunning(cloud, second);
    const whileRunning = await processes.runOk(...cli('status', second));
    await cloud.stop();
    return {
      newDirStartupMs,
      keptDirStartupMs,
      records: run.records,
      runMs: run.runMs,
      statusWhileRunningMs: whileRunning.wallMs,
      // A run that ended before `status` read it: the sample is not "while a run is going".
      statusSawRunning: new RegExp(`^Run ${second}: RUNNING`, 'm').test(whileRunning.stdout),
      statusAfterEndMs: afterEnd.wallMs,
      newDirSeeded: records === DEFAULT_RECORDS,
    };
  } finally {
    // On a failure, local up (or a command) may still run on the data dir: stopped before it goes.
    await processes.killAllAndWait();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One `npm start` side of a pair: the same spec and records in one process, in memory; its run's own duration from its JSON report. */
export async function measureNpmStartSide(processes: ChildProcesses, spec: string, records: number): Promise<NpmStartRun> {
  const finished = await processes.runOk('bash', [...NPM_START, '--records', String(records), '--spec', spec, '--json']);
  const report = NpmStartReportSchema.parse(lastJsonLine(finished.stdout));
  return { records: report.records, runMs: report.elapsedMs, processMs: finished.wallMs };
}
