import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { getRun } from '../../../lambdas/lib/ledger';
import { EndpointsFileSchema, type EndpointsFile } from '../../../local/cloud/endpoints';
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';
import { waitFor } from '../../support';
import { EXAMPLE_SPEC } from '../runtime/localRun';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const sfnAt = (endpoints: EndpointsFile) =>
  new SFNClient({ endpoint: endpoints.stepfunctions, region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

describe('the local cloud delivers each closing status-change event at least once, as EventBridge does', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-owed-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('marks the run STOPPED after a restart when the process was killed between StopExecution and the event reaching the handler', async () => {
    // GIVEN a local cloud in another process whose rule target never answers, with a run held in its first batch
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'undeliveredStopProcess.ts'), dataDir], {
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let executionArn: string;
    try {
      const endpoints = EndpointsFileSchema.parse(JSON.parse(await waitFor(() => /^endpoints (.+)$/m.exec(stdout)?.[1], { describe: 'the child cloud to serve', timeoutMs: 90_000 })));
      const remote = sfnAt(endpoints);
      ({ executionArn } = (await remote.send(new StartExecutionCommand({ stateMachineArn: endpoints.resources.backfillStateMachineArn, name: 'stop-k9', input: JSON.stringify(EXAMPLE_SPEC) }))) as { executionArn: string });
      await waitFor(() => stdout.includes('worker\n'), { describe: 'the first batch to start in the child', timeoutMs: 60_000 });
      // WHEN it is stopped as `backfill stop` does, and the process is killed while the ABORTED event is on its way to the handler
      await remote.send(new StopExecutionCommand({ executionArn, error: 'StoppedByOperator', cause: JSON.stringify({ actor: 'local:ana', reason: 'wrong spec' }) }));
      await waitFor(() => stdout.includes(`delivering ABORTED ${executionArn}`), { describe: 'the ABORTED event to reach the rule target', timeoutMs: 30_000 });
      remote.destroy();
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
    // THEN the local cloud started again on the data dir delivers the owed event to the real handler: the run is STOPPED with who and why
    const cloud = await startLocalCloud({ dataDir, codeVersion: 'test', demo: false });
    const sfn = sfnAt(cloud.endpoints);
    try {
      const run = await waitFor(
        async () => {
          const current = await getRun(cloud.env.deps, 'stop-k9');
          return current?.status === 'STOPPED' && current;
        },
        { describe: 'run stop-k9 to be STOPPED', timeoutMs: 20_000 },
      );
      expect(run).toMatchObject({ status: 'STOPPED', stoppedBy: 'local:ana', stopReason: 'wrong spec', executionArn });
      // AND the execution stays ABORTED, its history closed by ExecutionAborted, as on AWS
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'StoppedByOperator' });
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      expect(history.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'StoppedByOperator' } });
    } finally {
      sfn.destroy();
      await cloud.close({ drainMs: 1_000 });
    }
  }, 240_000);
});
