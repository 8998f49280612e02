import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { getRun } from '../../lambdas/lib/ledger';
import { startLocalCloud, type LocalCloud } from '../../local/cloud/startLocalCloud';
import type { TaskHandlerWrapper } from '../../local/runtime/localFunctions';
import { EXIT } from '../../cli/errors';
import { deferred, waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill } from './support/cliHarness';

jest.setTimeout(120_000);
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const RUN_ID = 'restarted-live';
const sfnOf = (cloud: LocalCloud) =>
  new SFNClient({ endpoint: cloud.endpoints.stepfunctions, region: cloud.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

/** Each worker call waits for `release` before it runs: the execution stays live inside its first batch. */
const holdWorkerUntil = (release: Promise<void>): TaskHandlerWrapper => (name, handler) => (name === 'worker' ? async (input) => (await release, handler(input)) : handler);

describe('backfill rollback against local up while the run has a live execution (one local up started again when it came back)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-rollback-live-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is refused, with or without --force, telling the operator to backfill stop it first; after the stop it rolls back without --force', async () => {
    // GIVEN a local up stopped under a running backfill execution (kept RUNNING on disk, as after kill -9)
    const never = deferred();
    const first = await startLocalCloud({ dataDir, codeVersion: 'test', demo: { records: 1000 }, wrapTaskHandler: holdWorkerUntil(never.promise) });
    const firstSfn = sfnOf(first);
    const input = JSON.stringify({ ...EXAMPLE_SPEC, batchSize: 100, maxConcurrency: 1 });
    const { executionArn } = await firstSfn.send(new StartExecutionCommand({ stateMachineArn: first.endpoints.resources.backfillStateMachineArn, name: RUN_ID, input }));
    await waitFor(async () => (await getRun(first.env.deps, RUN_ID))?.status === 'RUNNING', { describe: `run ${RUN_ID} to be RUNNING`, timeoutMs: 30_000 });
    firstSfn.destroy();
    await first.close({ drainMs: 100 });
    // AND local up back on the data dir, which started that execution again: it is live
    const release = deferred();
    const cloud = await startLocalCloud({ dataDir, codeVersion: 'test', demo: false, wrapTaskHandler: holdWorkerUntil(release.promise) });
    const sfn = sfnOf(cloud);
    const cli = (...argv: string[]) => runBackfill([...argv, '--local', dataDir]);
    try {
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING', redriveCount: 1 });

      // WHEN the operator rolls the run back, with --force and without
      const forced = await cli('rollback', RUN_ID, '--force', '--reason', 'wrong window');
      const plain = await cli('rollback', RUN_ID, '--reason', 'wrong window');

      // THEN both are refused before anything starts, naming the live execution and `backfill stop`
      const refusal = `error: run ${RUN_ID} is RUNNING and its execution ${executionArn} is still running: stop it first with \`backfill stop ${RUN_ID} --reason "..." --local ${dataDir}\`, then roll it back`;
      const forceNote = '; --force is for a run whose execution is gone (stopped or killed), not for one still running';
      expect([forced, plain]).toEqual([{ code: EXIT.usage, stdout: '', stderr: refusal + forceNote }, { code: EXIT.usage, stdout: '', stderr: refusal }]);
      const rollbacks = await sfn.send(new ListExecutionsCommand({ stateMachineArn: cloud.endpoints.resources.rollbackStateMachineArn }));
      expect({ rollbacks: rollbacks.executions, run: (await getRun(cloud.env.deps, RUN_ID))?.status }).toEqual({ rollbacks: [], run: 'RUNNING' });

      // WHEN it does what the message says
      expect((await cli('stop', RUN_ID, '--reason', 'wrong window')).code).toBe(EXIT.ok);
      release.resolve();
      const rolledBack = await cli('rollback', RUN_ID, '--reason', 'wrong window', '--json');

      // THEN the run rolls back without --force
      expect({ code: rolledBack.code, report: JSON.parse(rolledBack.stdout || '{}') }).toMatchObject({ code: EXIT.ok, report: { status: 'ROLLED_BACK', rolledBackFrom: 'STOPPED', forced: false } });
    } finally {
      never.resolve();
      release.resolve();
      sfn.destroy();
      await cloud.close({ drainMs: 2_000 });
    }
  });
});
