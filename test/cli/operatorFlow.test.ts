import { userInfo } from 'node:os';
import { PassThrough } from 'node:stream';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { getRun } from '../../lambdas/lib/ledger';
import { executionArnOf } from '../../cli/runs/executionOfRun';
import { localTarget } from '../../cli/target';
import { EXIT } from '../../cli/errors';
import { waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';

const ME = `local:${userInfo().username}`;

// GIVEN the local cloud (emulators + the local Step Functions API over the real ASL and handlers)
// and a data dir whose endpoints.json names it: every step goes through the CLI and AWS's own APIs.
describe('operating runs with the CLI against the local Step Functions API', () => {
  let cloud: InProcessLocalCloud;
  let specDir: string;
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(4000);
    specDir = cloud.dir;
  });
  afterAll(() => cloud?.close());
  const cli = (...argv: string[]) => runBackfill([...argv, '--local', cloud.dir]);
  const writeSpec = (name: string, overrides: Record<string, unknown>) => {
    const file = join(specDir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ ...EXAMPLE_SPEC, leaseSeconds: 5, ...overrides }));
    return file;
  };
  const auditOf = async (runId: string) => JSON.parse((await cli('audit', runId, '--json')).stdout) as Array<{ type: string; actor?: string; detail?: Record<string, unknown> }>;

  describe('a run stopped, resumed and rolled back', () => {
    const runId = 'cli-flow-b';
    it('start prints the run id and how to watch it; stop ends it STOPPED with who and why', async () => {
      // WHEN a slow run (one batch at a time) is started
      const spec = writeSpec('slow', { jobName: 'cli-flow', batchSize: 200, maxConcurrency: 1 });
      const started = await cli('start', '--spec', spec, '--name', runId);
      expect(started.code).toBe(0);
      expect(started.stdout.split('\n')).toEqual([
        `Started run ${runId}`,
        `  execution  arn:aws:states:us-east-1:000000000000:execution:Backfill:${runId}`,
        `  started by ${ME}`,
        `  watch it   backfill watch ${runId} --local ${cloud.dir}`,
      ]);
      // AND it is running with a record
      await waitFor(async () => (await getRun(cloud.env.deps, runId))?.status === 'RUNNING', { describe: `run ${runId} to be RUNNING`, timeoutMs: 20_000 });
      // WHEN it is stopped
      const stopped = await cli('stop', runId, '--reason', 'wrong target window');
      expect(stopped.stderr).toBe('');
      expect(stopped.code).toBe(0);
      expect(stopped.stdout.split('\n')[0]).toBe(`Stopped run ${runId}: STOPPED, by ${ME}: wrong target window`);
      // THEN the run record says who and why, and the audit trail names the actor
      const run = await getRun(cloud.env.deps, runId);
      expect(run).toMatchObject({ status: 'STOPPED', stoppedBy: ME, stopReason: 'wrong target window', startedBy: ME });
      const audit = await auditOf(runId);
      expect(audit.find((e) => e.type === 'RunStopped')).toMatchObject({ actor: ME });
      // AND the execution was stopped with the error and cause contract D names
      const target = localTarget(cloud.dir);
      try {
        const stoppedExecution = await target.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(target.resources.backfillStateMachineArn, runId) }));
        expect(stoppedExecution).toMatchObject({ status: 'ABORTED', error: 'StoppedByOperator', cause: JSON.stringify({ actor: ME, reason: 'wrong target window' }) });
      } finally {
        target.close();
      }
    });

    it('stop again changes nothing and says so', async () => {
      const again = await cli('stop', runId, '--reason', 'again');
      expect(again.code).toBe(0);
      expect(again.stdout.split('\n')[0]).toBe(`run ${runId} is STOPPED (stopped by ${ME}: wrong target window); its execution arn:aws:states:us-east-1:000000000000:execution:Backfill:${runId} is ABORTED`);
      expect((await getRun(cloud.env.deps, runId))?.stopReason).toBe('wrong target window');
    });

    it('watch of a stopped run exits 5; status shows it stopped', async () => {
      const watched = await cli('watch', runId);
      expect(watched.code).toBe(EXIT.stopped);
      // A run that is not RUNNING shows no stage of a forward execution: its last execution's end is labelled as such
      expect(watched.stdout.split('\n')[0]).toBe(`Run ${runId}: STOPPED (last execution ABORTED)`);
      const status = JSON.parse((await cli('status', runId, '--json')).stdout) as Record<string, unknown>;
      expect(status).toMatchObject({ runId, status: 'STOPPED', lastExecution: 'ABORTED', startedBy: ME, stoppedBy: ME, codeVersion: 'test' });
      expect(status).not.toHaveProperty('stage');
    });

    it('resume starts a new execution with the pinned spec; watch follows it to SUCCEEDED (exit 0)', async () => {
      const resumed = await cli('resume', runId);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(resumed.stdout.split('\n')[0]).toBe(`Resumed run ${runId} (was STOPPED) in execution ${runId}-r2`);
      const lines: string[] = [];
      const watched = await runBackfill(['watch', runId, '--local', cloud.dir], { onErr: (line) => lines.push(line) });
      expect(watched.code).toBe(EXIT.ok);
      expect(watched.stdout.split('\n')[0]).toMatch(new RegExp(`^Run ${runId}: SUCCEEDED$`));
      // Plain progress lines (stderr is no terminal here): batches and records as they advance.
      expect(lines.some((line) => /^cli-flow-b RUNNING( \S+)?: \d+\/\d+ batches, [\d,]+\/4,000 records/.test(line))).toBe(true);
      const run = await getRun(cloud.env.deps, runId);
      expect(run).toMatchObject({ status: 'SUCCEEDED', starts: 2, executionArn: `arn:aws:states:us-east-1:000000000000:execution:Backfill:${runId}-r2` });
    });

    it('rollback --rehearse checks without writing (exit 0); rollback without --reason is refused', async () => {
      const rehearsal = await cli('rollback', runId, '--rehearse');
      expect(rehearsal.code).toBe(EXIT.ok);
      expect(rehearsal.stdout.split('\n')[0]).toMatch(new RegExp(`^Rollback rehearsal of run ${runId} \\(SUCCEEDED\\): healthy, no problems, no conflicts \\(nothing was written\\)$`));
      expect((await getRun(cloud.env.deps, runId))?.status).toBe('SUCCEEDED');
      const refused = await cli('rollback', runId);
      expect(refused.code).toBe(EXIT.usage);
    });

    it('rollback --reason rolls it back, and the audit trail names the actor of every operator step', async () => {
      const rolledBack = await cli('rollback', runId, '--reason', 'bad rounding rule');
      expect(rolledBack.code).toBe(EXIT.ok);
      expect(rolledBack.stdout.split('\n')[0]).toBe(`Rollback of run ${runId}: ROLLED_BACK`);
      expect((await getRun(cloud.env.deps, runId))?.status).toBe('ROLLED_BACK');
      // AND status shows no stage of the forward execution (never `ROLLED_BACK (stage SUCCEEDED)`)
      expect((await cli('status', runId)).stdout.split('\n')[0]).toBe(`Run ${runId}: ROLLED_BACK`);
      const audit = await auditOf(runId);
      const actorOf = (type: string) => audit.filter((e) => e.type === type).map((e) => e.actor);
      expect(actorOf('RunStarted')).toEqual([ME]);
      expect(actorOf('RunStopped')).toEqual([ME]);
      expect(actorOf('RunResumed')).toEqual([ME]);
      expect(actorOf('RollbackStarted')).toEqual([ME]);
      expect(audit.find((e) => e.type === 'RollbackStarted')?.detail).toMatchObject({ reason: 'bad rounding rule' });
    });
  });

  describe('an execution whose input ValidateSpec refused (started without the CLI)', () => {
    it('status and watch say the run never started and why (exit 1)', async () => {
      // GIVEN an execution started with the SDK and an input that is no spec: it creates no run
      const target = localTarget(cloud.dir);
      try {
        await target.sfn.send(new StartExecutionCommand({ stateMachineArn: target.resources.backfillStateMachineArn, name: 'not-a-spec-1', input: '{"jobName": 7}' }));
        await waitFor(async () => (await target.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(target.resources.backfillStateMachineArn, 'not-a-spec-1') }))).status === 'FAILED', {
          describe: 'the execution to fail',
          timeoutMs: 20_000,
        });
      } finally {
        target.close();
      }
      const status = await cli('status', 'not-a-spec-1');
      expect(status.code).toBe(EXIT.failed);
      expect(status.stdout).toMatch(/^run not-a-spec-1 never started: its execution ended FAILED with InvalidSpecError: [\s\S]*spec\.jobName/);
      const watched = await cli('watch', 'not-a-spec-1');
      expect(watched.code).toBe(EXIT.failed);
      expect(watched.stderr).toBe(status.stdout);
    });

    it('status of a run with neither a record nor an execution exits 2 saying how to find runs', async () => {
      const status = await cli('status', 'no-such-run');
      expect(status).toMatchObject({ code: EXIT.usage, stderr: `error: no run no-such-run in the ledger of the local cloud of ${cloud.dir}; \`backfill list\` shows the runs there` });
    });
  });

  describe('a run started twice', () => {
    const spec = () => writeSpec('twice', { jobName: 'cli-twice' });
    let runId: string;
    it('the same spec started twice while open is the same execution (Step Functions idempotency)', async () => {
      const first = await cli('start', '--spec', spec());
      expect(first.code).toBe(0);
      runId = /^Started run (\S+)$/m.exec(first.stdout)![1]!;
      expect(runId).toMatch(/^cli-twice-[0-9a-f]{12}$/);
      const second = await cli('start', '--spec', spec());
      expect(second.code).toBe(0);
      expect(second.stdout).toBe(first.stdout);
      expect((await cli('watch', runId)).code).toBe(EXIT.ok);
    });

    it('watch draws a live bar on a terminal, and no plain progress lines', async () => {
      // GIVEN a terminal-like stream (cli-progress draws only on a TTY)
      let drawn = '';
      const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
      terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString('utf8')));
      const lines: string[] = [];
      const watched = await runBackfill(['watch', runId, '--local', cloud.dir], { isTty: true, progressStream: terminal, onErr: (line) => lines.push(line) });
      expect(watched.code).toBe(EXIT.ok);
      expect(drawn).toMatch(new RegExp(`${runId} SUCCEEDED \\[[=\\- ]+\\] (\\d+)/\\1 batches \\| 4000 records`));
      expect(lines).toEqual([]);
    });

    it('once it has ended, starting it again explains ExecutionAlreadyExists and what to do (exit 2)', async () => {
      const again = await cli('start', '--spec', spec());
      expect(again.code).toBe(EXIT.usage);
      expect(again.stderr).toMatch(new RegExp(`^error: an execution named ${runId} already exists \\(status SUCCEEDED, started \\S+\\) and Step Functions never reuses a name\\. The run ${runId} was started before: \`backfill status ${runId} --local \\S+\` shows it; \`backfill resume ${runId}\` resumes it if it failed or was stopped; give --name to start a new run with this spec$`));
    });

    it('status shows what the run did, who started it and the code version', async () => {
      const status = await cli('status', runId);
      expect(status.code).toBe(0);
      const lines = status.stdout.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^Run ${runId}: SUCCEEDED$`));
      expect(lines[1]).toBe('  transform        order-summary@2   code test   starts 1');
      expect(lines[2]).toMatch(new RegExp(`^  started by       ${ME} at \\S+Z$`));
      expect(lines[3]).toMatch(/^  batches          (\d+) done of \1, 0 in progress, 0 failed$/);
      expect(lines[4]).toMatch(/^  records          4,000 read of 4,000 \(\d+ malformed\)$/);
    });

    it('rollback passes --force and --keep-newer-run-writes, and who asks, in the rollback input', async () => {
      // WHEN a forced rehearsal under later runs is asked for
      const rehearsal = await cli('rollback', runId, '--rehearse', '--force', '--keep-newer-run-writes');
      expect(rehearsal.code).toBe(EXIT.ok);
      // THEN the rollback execution got exactly that input
      const target = localTarget(cloud.dir);
      try {
        const { input } = await target.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(target.resources.rollbackStateMachineArn, `${runId}-rehearsal-1`) }));
        expect(JSON.parse(input!)).toEqual({ runId, mode: 'rehearse', force: true, keepNewerRunWrites: true, requestedBy: ME });
      } finally {
        target.close();
      }
    });

    it('list shows both runs, newest first', async () => {
      const runs = JSON.parse((await cli('list', '--json')).stdout) as Array<{ runId: string; status: string; startedBy: string }>;
      expect(runs.map((r) => [r.runId, r.status, r.startedBy])).toEqual([
        [runId, 'SUCCEEDED', ME],
        ['cli-flow-b', 'ROLLED_BACK', ME],
      ]);
    });
  });

  describe('a run that fails', () => {
    it('watch exits 1 and status names the error that failed it', async () => {
      // GIVEN a spec whose target key does not match the table's (orderId): every record is quarantined
      const spec = writeSpec('wrong-key', { jobName: 'cli-fails', target: { ...(EXAMPLE_SPEC.target as object), partitionKey: 'id' } });
      expect((await cli('start', '--spec', spec, '--name', 'cli-fails-1')).code).toBe(0);
      const watched = await cli('watch', 'cli-fails-1');
      expect(watched.code).toBe(EXIT.failed);
      const status = JSON.parse((await cli('status', 'cli-fails-1', '--json')).stdout) as { status: string; failures: string[] };
      expect(status).toMatchObject({ status: 'FAILED', records: { read: 4000, malformed: 4000, written: 0 } });
      expect(status.failures[0]).toMatch(/^MalformedThresholdExceededError: Run cli-fails-1: 4000 of 4000 source records \(100\.00%\) are malformed, above maxMalformedPercent 1/);
      expect(watched.stdout).toContain(`\n  failures         ${status.failures[0]}`);
    });
  });
});
