import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { getRun } from '../../../lambdas/lib/ledger';
import { ENDPOINTS_FILE, EndpointsFileSchema } from '../../../local/cloud/endpoints';
import { startLocalCloud, type LocalCloud } from '../../../local/cloud/startLocalCloud';
import { DataDirLockedError, PortInUseError } from '../../../local/emulators';
import { deferred, waitFor } from '../../support';
import { EXAMPLE_SPEC } from '../runtime/localRun';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const sfnOf = (cloud: LocalCloud) =>
  new SFNClient({ endpoint: cloud.endpoints.stepfunctions, region: cloud.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

describe('startLocalCloud on a data dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-cloud-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the stack resources, writes endpoints.json while it runs and removes it on close; a second start on the dir is refused', async () => {
    // GIVEN a new data dir
    // WHEN the local cloud starts on it
    const cloud = await startLocalCloud({ dataDir, codeVersion: 'test', demo: { records: 300 } });
    try {
      // THEN endpoints.json names the three endpoints, the resources and this process
      const written = EndpointsFileSchema.parse(JSON.parse(readFileSync(join(dataDir, ENDPOINTS_FILE), 'utf8')));
      expect(written).toEqual(cloud.endpoints);
      expect(written).toMatchObject({
        region: 'us-east-1',
        account: '000000000000',
        pid: process.pid,
        resources: {
          backfillStateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Backfill',
          rollbackStateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Rollback',
          ledgerTable: 'backfill-ledger',
          artifactsBucket: 'backfill-artifacts',
          sourceBucket: 'backfill-source',
        },
      });
      // AND the tables and buckets exist, the demo dataset was seeded
      const tables = await cloud.env.clients.ddb.send(new ListTablesCommand({}));
      expect(tables.TableNames).toEqual(expect.arrayContaining(['backfill-ledger', 'order-summaries']));
      const buckets = await cloud.env.clients.s3.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((b) => b.Name)).toEqual(expect.arrayContaining(['backfill-artifacts', 'backfill-source']));
      expect(cloud.demo).toMatchObject({ seededNow: true, marker: { records: 300 } });
      // AND a second cloud on the same data dir is refused while this one runs
      await expect(startLocalCloud({ dataDir, codeVersion: 'test', demo: false })).rejects.toThrow(DataDirLockedError);
    } finally {
      await cloud.close({ drainMs: 100 });
    }
    expect(existsSync(join(dataDir, ENDPOINTS_FILE))).toBe(false);
    // WHEN it starts again on the kept dir (asked for another demo size)
    const again = await startLocalCloud({ dataDir, codeVersion: 'test', demo: { records: 20_000 } });
    // THEN it serves what it kept: no second seed, no refusal
    try {
      expect(again.demo).toMatchObject({ seededNow: false, marker: { records: 300 } });
    } finally {
      await again.close({ drainMs: 100 });
    }
  });
});

describe('startLocalCloud restartRunningExecutions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-cloud-kept-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('false: a backfill execution the data dir keeps RUNNING is served RUNNING as it was left, not started again', async () => {
    // GIVEN a backfill execution held inside its first batch when its cloud closes
    const release = deferred();
    const first = await startLocalCloud({
      dataDir,
      codeVersion: 'test',
      demo: { records: 300 },
      wrapTaskHandler: (name, handler) => (name === 'worker' ? async (input) => (await release.promise, handler(input)) : handler),
    });
    const sfn = sfnOf(first);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: first.endpoints.resources.backfillStateMachineArn, name: 'kept', input: JSON.stringify(EXAMPLE_SPEC) }));
    await waitFor(async () => (await getRun(first.env.deps, 'kept'))?.status === 'RUNNING', { describe: 'run kept to be RUNNING', timeoutMs: 30_000 });
    sfn.destroy();
    await first.close({ drainMs: 100 });
    release.resolve();
    // WHEN the cloud starts again on the data dir with restartRunningExecutions false
    const again = await startLocalCloud({ dataDir, codeVersion: 'test', demo: false, restartRunningExecutions: false });
    const sfnAgain = sfnOf(again);
    try {
      // THEN the execution is RUNNING as it was left, not redriven
      expect(await sfnAgain.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'RUNNING', redriveCount: 0 });
    } finally {
      sfnAgain.destroy();
      await again.close({ drainMs: 100 });
    }
  });
});

describe('startLocalCloud ports', () => {
  let blocker: Server;
  let taken: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    taken = (blocker.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  it('refuses a port another process holds, naming the port, the service and --port', async () => {
    // GIVEN the port DynamoDB would get (N+1) is taken
    // WHEN the cloud starts on N
    const started = startLocalCloud({ port: taken - 1, codeVersion: 'test', demo: false });
    // THEN it fails with that port named and how to choose others
    await expect(started).rejects.toThrow(PortInUseError);
    await expect(started).rejects.toThrow(
      `port ${taken} on 127.0.0.1 (DynamoDB) is in use by another process; give another --port N (Step Functions on N, DynamoDB on N+1, S3 on N+2, the approval page on N+3), or --port 0 for ephemeral ports`,
    );
  });

  it('refuses a taken Step Functions port the same way, after closing what it started', async () => {
    const started = startLocalCloud({ port: taken, codeVersion: 'test', demo: false });
    await expect(started).rejects.toThrow(`port ${taken} on 127.0.0.1 (Step Functions) is in use by another process; give another --port N`);
  });
});

describe('startLocalCloud execution status changes', () => {
  it('marks the run STOPPED when its execution is stopped, through the execution-status-change handler as on AWS', async () => {
    // GIVEN a backfill execution held inside its first batch
    const release = deferred();
    const cloud = await startLocalCloud({
      codeVersion: 'test',
      demo: { records: 300 },
      wrapTaskHandler: (name, handler) => (name === 'worker' ? async (input) => (await release.promise, handler(input)) : handler),
    });
    const sfn = sfnOf(cloud);
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: cloud.endpoints.resources.backfillStateMachineArn, name: 'stop-me', input: JSON.stringify(EXAMPLE_SPEC) }));
      await waitFor(async () => (await getRun(cloud.env.deps, 'stop-me'))?.status === 'RUNNING', { describe: 'run stop-me to be RUNNING', timeoutMs: 30_000 });
      // WHEN an operator stops the execution, as `backfill stop` does
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'StoppedByOperator', cause: JSON.stringify({ actor: 'local:ana', reason: 'wrong spec' }) }));
      // THEN the run is STOPPED with who and why, not left RUNNING
      const run = await waitFor(
        async () => {
          const current = await getRun(cloud.env.deps, 'stop-me');
          return current?.status === 'STOPPED' && current;
        },
        { describe: 'run stop-me to be STOPPED', timeoutMs: 30_000 },
      );
      expect(run).toMatchObject({ status: 'STOPPED', stoppedBy: 'local:ana', stopReason: 'wrong spec' });
    } finally {
      release.resolve();
      sfn.destroy();
      await cloud.close({ drainMs: 2_000 });
    }
  });
});
