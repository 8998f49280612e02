import { awsCli } from '../../../support/awsCli';
import { waitFor } from '../../../support';
import { arnOf, flowMachine, gateMachine, REGION, unusedS3, useServer } from './fixtures';

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
