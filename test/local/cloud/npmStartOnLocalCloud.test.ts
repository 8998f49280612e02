import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli } from '../../support/awsCli';
import { runCli } from '../cli/runCli';
import { endpointsOf, startLocalUp } from './localUpProcess';

describe('npm start on the local cloud', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-npm-start-cloud-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs its backfill as a Backfill execution of the local Step Functions API, which local up then serves', async () => {
    // GIVEN a run of `npm start` kept in a data dir
    const run = await runCli(['--data-dir', dataDir, '--records', '300', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { runId: string; targetChecksum: string };
    // WHEN `local up` serves that data dir
    const cloud = startLocalUp(['--data-dir', dataDir, '--port', '0', '--no-demo']);
    try {
      const endpoints = await endpointsOf(cloud, dataDir);
      const listed = await awsCli(['stepfunctions', 'list-executions', '--state-machine-arn', endpoints.resources.backfillStateMachineArn, '--endpoint-url', endpoints.stepfunctions, '--region', endpoints.region]);
      // THEN the AWS CLI lists the run's execution, SUCCEEDED, named by its runId, with the run's report as output
      const executions = (JSON.parse(listed.stdout) as { executions: Array<{ name: string; status: string; executionArn: string }> }).executions;
      expect(executions.map((e) => [e.name, e.status])).toEqual([[report.runId, 'SUCCEEDED']]);
      const described = await awsCli(['stepfunctions', 'describe-execution', '--execution-arn', executions[0]!.executionArn, '--endpoint-url', endpoints.stepfunctions, '--region', endpoints.region]);
      expect(JSON.parse((JSON.parse(described.stdout) as { output: string }).output)).toMatchObject({ runId: report.runId, targetChecksum: report.targetChecksum });
    } finally {
      cloud.child.kill('SIGTERM');
      await cloud.done;
    }
  }, 180_000);
});
