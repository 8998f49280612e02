import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_NAMES } from '../../infra/definitions';
import { stateMachineArn } from '../../local/engine/arns';
import { getRun, startOrResumeRun } from '../../lambdas/lib/ledger';
import { validateExecutionInput } from '../../lambdas/lib/spec/validateExecutionInput';
import { executionArnOf } from '../../cli/runs/executionOfRun';
import { listedNames, requireSpecResources } from '../../cli/runs/requireSpecResources';
import { localTarget } from '../../cli/target';
import { EXIT } from '../../cli/errors';
import { waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';
import { startRecordingAwsServer } from './support/recordingAwsServer';
import { spawnBackfill } from './support/spawnBackfill';

/** Whether Step Functions knows an execution of that name (the CLI started it). */
async function executionExists(sfn: SFNClient, stateMachineArn: string, name: string): Promise<boolean> {
  try {
    await sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return false;
    throw error;
  }
}

// GIVEN the local cloud and a data dir whose endpoints.json names it: what the CLI refuses before
// it starts anything, and how it behaves when the reader of its output goes away.
describe('the CLI refuses what would fail later, and survives closed pipes', () => {
  let cloud: InProcessLocalCloud;
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(4000);
  });
  afterAll(() => cloud?.close());
  const cli = (...argv: string[]) => runBackfill([...argv, '--local', cloud.dir]);
  const writeSpec = (name: string, overrides: Record<string, unknown>) => {
    const file = join(cloud.dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ ...EXAMPLE_SPEC, leaseSeconds: 5, ...overrides }));
    return file;
  };
  const withTarget = async <T>(use: (target: ReturnType<typeof localTarget>) => Promise<T>): Promise<T> => {
    const target = localTarget(cloud.dir);
    try {
      return await use(target);
    } finally {
      target.close();
    }
  };
  const rollbackExists = (name: string) => withTarget((t) => executionExists(t.sfn, t.resources.rollbackStateMachineArn, name));

  describe('rollback of a run whose execution is still running', () => {
    const runId = 'guard-running-1';
    beforeAll(async () => {
      // A slow run (one batch at a time), RUNNING in its execution.
      const spec = writeSpec('slow', { jobName: 'guard-running', batchSize: 200, maxConcurrency: 1 });
      expect((await cli('start', '--spec', spec, '--name', runId)).code).toBe(0);
      await waitFor(async () => (await getRun(cloud.env.deps, runId))?.status === 'RUNNING', { describe: `run ${runId} to be RUNNING`, timeoutMs: 20_000 });
    });
    afterAll(async () => {
      await cli('stop', runId, '--reason', 'end of test');
    });

    it('rollback --force is refused (exit 2) before anything starts: stop it first, force is for a run whose execution is gone', async () => {
      const forced = await cli('rollback', runId, '--force', '--reason', 'force while running');
      expect(forced.code).toBe(EXIT.usage);
      expect(forced.stderr).toBe(
        `error: run ${runId} is RUNNING and its execution arn:aws:states:us-east-1:000000000000:execution:Backfill:${runId} is still running: ` +
          `stop it first with \`backfill stop ${runId} --reason "..." --local ${cloud.dir}\`, then roll it back; ` +
          '--force is for a run whose execution is gone (stopped or killed), not for one still running',
      );
      expect(await rollbackExists(`${runId}-rollback-1`)).toBe(false);
      expect((await getRun(cloud.env.deps, runId))?.status).toBe('RUNNING');
    });

    it('rollback without --force is refused (exit 2) before a rollback execution starts, naming backfill stop', async () => {
      const refused = await cli('rollback', runId, '--reason', 'x');
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.stderr).toMatch(new RegExp(`^error: run ${runId} is RUNNING and its execution \\S+ is still running: stop it first with \`backfill stop ${runId} --reason "\\.\\.\\." --local \\S+\`, then roll it back$`));
      expect(await rollbackExists(`${runId}-rollback-1`)).toBe(false);
    });

    it('rollback --rehearse --force goes on (it writes nothing) and says the execution is running', async () => {
      const rehearsal = await cli('rollback', runId, '--rehearse', '--force');
      expect(rehearsal.stderr.split('\n')[0]).toBe(
        `note: run ${runId} is still running in arn:aws:states:us-east-1:000000000000:execution:Backfill:${runId}: the rehearsal reads the table while the run still writes it`,
      );
      expect(await rollbackExists(`${runId}-rehearsal-1`)).toBe(true);
    });
  });

  it('rollback of a run still marked RUNNING whose execution is gone is refused without --force, naming stop and --force', async () => {
    // GIVEN a run record RUNNING whose recorded execution Step Functions does not know (its workers are gone)
    const runId = 'guard-ghost-1';
    const { spec, specHash } = validateExecutionInput({ ...EXAMPLE_SPEC, jobName: 'guard-ghost' }, runId);
    const executionArn = executionArnOf(stateMachineArn('Backfill'), runId);
    await startOrResumeRun(cloud.env.deps, { runId, spec, specHash, startedBy: 'local:test', executionArn });
    const refused = await cli('rollback', runId, '--reason', 'x');
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toBe(
      `error: run ${runId} is still marked RUNNING but no execution of it runs (${executionArn} is not running): ` +
        `\`backfill stop ${runId} --reason "..." --local ${cloud.dir}\` records it as stopped; or roll it back with --force, asserting its workers are gone`,
    );
    expect(await rollbackExists(`${runId}-rollback-1`)).toBe(false);
  });

  describe('start of a spec naming a table or bucket the target does not have', () => {
    it('a missing target table: exit 2 naming it and the tables there; no execution starts', async () => {
      const spec = writeSpec('no-table', { jobName: 'guard-no-table', target: { ...(EXAMPLE_SPEC.target as object), tableName: 'nosuch' } });
      const started = await cli('start', '--spec', spec, '--name', 'guard-no-table-1');
      expect(started.code).toBe(EXIT.usage);
      expect(started.stderr).toMatch(
        new RegExp(`^error: spec\\.target\\.tableName: no table nosuch in the local cloud of \\S+ \\(tables: [^)]*${LOCAL_NAMES.demoTargetTable}[^)]*\\); point spec\\.target\\.tableName at an existing table, or create it first with its real key types: aws dynamodb create-table --table-name nosuch `),
      );
      expect(await withTarget((t) => executionExists(t.sfn, t.resources.backfillStateMachineArn, 'guard-no-table-1'))).toBe(false);
    });

    it('a missing source bucket: exit 2 naming it and the buckets there; no execution starts', async () => {
      const spec = writeSpec('no-bucket', { jobName: 'guard-no-bucket', source: { ...(EXAMPLE_SPEC.source as object), bucket: 'nosuch-bucket' } });
      const started = await cli('start', '--spec', spec, '--name', 'guard-no-bucket-1');
      expect(started.code).toBe(EXIT.usage);
      expect(started.stderr).toMatch(
        new RegExp(`^error: spec\\.source\\.bucket: no bucket nosuch-bucket in the local cloud of \\S+ \\(buckets: [^;]*${LOCAL_NAMES.sourceBucket}[^;]*; the stack's source bucket is ${LOCAL_NAMES.sourceBucket}\\); `),
      );
      expect(await withTarget((t) => executionExists(t.sfn, t.resources.backfillStateMachineArn, 'guard-no-bucket-1'))).toBe(false);
    });

    it('names at most 20 tables or buckets (an AWS account may hold hundreds), then how many more', () => {
      const names = Array.from({ length: 23 }, (_, i) => `t${i + 1}`);
      expect(listedNames(names)).toBe(`${names.slice(0, 20).join(', ')} and 3 more`);
      expect(listedNames(names.slice(0, 20))).toBe(names.slice(0, 20).join(', '));
      expect(listedNames([])).toBe('none');
    });

    it('a source bucket that answers 403 (exists, the operator may not check it) goes on', async () => {
      // GIVEN S3 answering every request 403, as AWS does to HeadBucket without s3:ListBucket on it
      const forbidden = await startRecordingAwsServer(() => ({ status: 403, xml: '' }));
      try {
        await withTarget(async (t) => {
          const s3 = new S3Client({ endpoint: forbidden.endpoint, forcePathStyle: true, region: t.region, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
          try {
            const { spec } = validateExecutionInput(EXAMPLE_SPEC, 'guard-403');
            await expect(requireSpecResources({ ...t, deps: { ...t.deps, clients: { ...t.deps.clients, s3 } } }, spec)).resolves.toBeUndefined();
            expect(forbidden.requests.map((r) => [r.method, r.path.split('?')[0]])).toEqual([['HEAD', `/${spec.source.bucket}/`]]);
          } finally {
            s3.destroy();
          }
        });
      } finally {
        await forbidden.close();
      }
    });
  });

  it('lineage of a table the target does not have: exit 2, naming the tables there (as dump does)', async () => {
    const result = await cli('lineage', '--table', 'nosuch', '--key', 'orderId=x');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(new RegExp(`^error: no table nosuch in the local cloud of \\S+ \\(tables: [^)]*${LOCAL_NAMES.demoTargetTable}[^)]*\\); give one of those to --table$`));
  });

  describe('a reader that closes the pipe early (the bin in its own process)', () => {
    it('stdout closed (`| head -1`): the command exits 0, with no stack trace', async () => {
      const spawned = spawnBackfill(['list', '--local', cloud.dir]);
      spawned.child.stdout!.destroy();
      const result = await spawned.done;
      expect(result).toMatchObject({ code: 0, stderr: '' });
    });

    it('stderr closed: an acting command (rollback --rehearse) goes on to its end and prints its report', async () => {
      const runId = 'guard-done-1';
      expect((await cli('start', '--spec', writeSpec('done', { jobName: 'guard-done' }), '--name', runId)).code).toBe(0);
      expect((await cli('watch', runId)).code).toBe(EXIT.ok);
      const spawned = spawnBackfill(['rollback', runId, '--rehearse', '--local', cloud.dir]);
      spawned.child.stderr!.destroy();
      const result = await spawned.done;
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout.split('\n')[0]).toBe(`Rollback rehearsal of run ${runId} (SUCCEEDED): healthy, no problems, no conflicts (nothing was written)`);
    });
  });
});
