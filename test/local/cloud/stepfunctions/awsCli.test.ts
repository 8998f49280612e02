import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { startStepFunctionsServer } from '../../../../local/cloud/stepfunctions';
import { awsCli } from '../../../support/awsCli';
import { waitFor } from '../../../support';
import { arnOf, flowMachine, gateMachine, REGION, sfnClient, unusedS3, useServer } from './fixtures';

jest.setTimeout(120_000);

/** Debian's AWS CLI (botocore, a client nobody here wrote) against the local Step Functions API. */
describe('the AWS CLI against the local Step Functions API', () => {
  let gate = gateMachine();
  const api = useServer(() => {
    gate = gateMachine();
    return { stateMachines: [flowMachine(), gate.machine], s3: unusedS3() };
  });
  afterEach(() => gate.gate.resolve());

  const stepfunctions = async (args: string[]): Promise<Record<string, unknown>> => {
    const result = await awsCli(['stepfunctions', ...args, '--endpoint-url', api().server.endpoint, '--region', REGION]);
    if (result.code !== 0) throw new Error(`aws stepfunctions ${args[0]} exited ${result.code}: ${result.stderr}`);
    return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
  };

  it('lists state machines, starts an execution, describes it until SUCCEEDED and reads its history', async () => {
    const listed = await stepfunctions(['list-state-machines']);
    expect(listed.stateMachines).toEqual([
      expect.objectContaining({ name: 'Flow', stateMachineArn: arnOf('Flow'), type: 'STANDARD', creationDate: expect.any(String) }),
      expect.objectContaining({ name: 'Gate' }),
    ]);
    const started = await stepfunctions(['start-execution', '--state-machine-arn', arnOf('Flow'), '--name', 'cli-run', '--input', '{"value":8}']);
    expect(started).toEqual({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:cli-run', startDate: expect.any(String) });
    const described = await waitFor(
      async () => {
        const execution = await stepfunctions(['describe-execution', '--execution-arn', String(started.executionArn)]);
        if (execution.status === 'FAILED') throw new Error(`cli-run FAILED: ${JSON.stringify(execution)}`);
        return execution.status === 'SUCCEEDED' && execution;
      },
      { describe: 'cli-run to succeed', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(JSON.parse(String(described.output))).toEqual({ value: 16, size: 'big' });
    const history = await stepfunctions(['get-execution-history', '--execution-arn', String(started.executionArn)]);
    const events = history.events as Array<Record<string, unknown>>;
    expect(events[0]).toMatchObject({ id: 1, type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"value":8}' } });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
  });

  it('stops a running execution with an error and a cause', async () => {
    const started = await stepfunctions(['start-execution', '--state-machine-arn', arnOf('Gate'), '--name', 'cli-stop']);
    const stopped = await stepfunctions(['stop-execution', '--execution-arn', String(started.executionArn), '--error', 'StoppedByOperator', '--cause', 'from the CLI']);
    expect(stopped).toEqual({ stopDate: expect.any(String) });
    const described = await stepfunctions(['describe-execution', '--execution-arn', String(started.executionArn)]);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'StoppedByOperator', cause: 'from the CLI' });
  });

  it('shows AWS\'s error for an unknown operation and for an unknown execution', async () => {
    const unknown = await awsCli(['stepfunctions', 'create-activity', '--name', 'x', '--endpoint-url', api().server.endpoint, '--region', REGION]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('(UnknownOperationException)');
    expect(unknown.stderr).toContain('StartExecution');
    const missing = await awsCli(['stepfunctions', 'describe-execution', '--execution-arn', 'arn:aws:states:us-east-1:000000000000:execution:Flow:none', '--endpoint-url', api().server.endpoint, '--region', REGION]);
    expect(missing.stderr).toContain('(ExecutionDoesNotExist)');
  });
});

/**
 * Why this test: after a restart the reviewer saw, through the AWS CLI, `ExecutionRedriven` without
 * `executionRedrivenEventDetails` and DescribeExecution without `redriveCount`/`redriveDate`. The
 * server sends them (the SDK, whose model has redrive, reads them); Debian's awscli 2.9 predates
 * redrive (Nov 2023), so its botocore model has none of these members and drops them while parsing.
 */
describe('the AWS CLI and the SDK on an execution started again after a restart', () => {
  it('gets redriveCount, redriveDate and executionRedrivenEventDetails from the server; the SDK shows them, awscli 2.9 drops them', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sfn-cli-redrive-'));
    const held = gateMachine();
    const again = gateMachine();
    try {
      const first = await startStepFunctionsServer({ stateMachines: [held.machine], s3: unusedS3(), stateDir });
      const firstSfn = sfnClient(first);
      const { executionArn } = await firstSfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Gate'), name: 'redriven' }));
      await waitFor(() => held.entered() === 1, { describe: 'the Gate Task to start' });
      firstSfn.destroy();
      await first.close({ drainMs: 10 });
      const second = await startStepFunctionsServer({ stateMachines: [again.machine], s3: unusedS3(), stateDir });
      const sfn = sfnClient(second);
      try {
        // The SDK (current model): the members are there
        expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ redriveCount: 1, redriveDate: expect.any(Date) });
        const sdkEvents = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
        expect(sdkEvents.find((event) => event.type === 'ExecutionRedriven')).toMatchObject({ executionRedrivenEventDetails: { redriveCount: 1 } });
        // Debian's AWS CLI 2.9: the same answers, parsed without the members its model lacks
        const cli = async (args: string[]) => {
          const result = await awsCli(['stepfunctions', ...args, '--endpoint-url', second.endpoint, '--region', REGION]);
          if (result.code !== 0) throw new Error(`aws stepfunctions ${args[0]} exited ${result.code}: ${result.stderr}`);
          return JSON.parse(result.stdout) as Record<string, unknown>;
        };
        const described = await cli(['describe-execution', '--execution-arn', executionArn!]);
        expect(described).toMatchObject({ status: 'RUNNING', executionArn });
        expect(described).not.toHaveProperty('redriveCount');
        expect(described).not.toHaveProperty('redriveDate');
        const cliEvents = (await cli(['get-execution-history', '--execution-arn', executionArn!])).events as Array<Record<string, unknown>>;
        const redriven = cliEvents.find((event) => event.type === 'ExecutionRedriven');
        expect(redriven).toMatchObject({ type: 'ExecutionRedriven', id: expect.any(Number) });
        expect(redriven).not.toHaveProperty('executionRedrivenEventDetails');
      } finally {
        sfn.destroy();
        await second.close({ drainMs: 10 });
      }
    } finally {
      held.gate.resolve();
      again.gate.resolve();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
