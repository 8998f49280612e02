import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStepFunctionsServer } from '../../../../local/cloud/stepfunctions';
import { TaskTokens } from '../../../../local/engine';
import { errorCodesOf, outputProblems } from './botocoreShapes';
import { arnOf, callbackMachine, flowMachine, gateMachine, unusedS3, useServer } from './fixtures';

/**
 * Every answer of the local server, as raw JSON, against the output shapes of the Step Functions
 * model botocore ships: required members present, types right, nothing AWS would not send.
 */
describe('the local Step Functions API against the botocore model', () => {
  let callback = callbackMachine();
  let gate = gateMachine();
  const api = useServer(() => {
    callback = callbackMachine();
    gate = gateMachine();
    return { stateMachines: [flowMachine(), callback.machine, gate.machine], s3: unusedS3(), taskTokens: new TaskTokens() };
  });
  afterEach(() => gate.gate.resolve());

  async function call(operation: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await fetch(api().server.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${operation}` },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${operation} answered ${response.status}: ${JSON.stringify(answer)}`);
    expect(outputProblems(operation, answer)).toEqual([]);
    return answer;
  }

  async function closed(executionArn: unknown): Promise<Record<string, unknown>> {
    for (;;) {
      const described = await call('DescribeExecution', { executionArn });
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('answers state machine, execution and history operations in AWS\'s shapes, for every execution status', async () => {
    await call('ListStateMachines', {});
    await call('DescribeStateMachine', { stateMachineArn: arnOf('Flow') });
    // SUCCEEDED and FAILED
    const succeeded = await call('StartExecution', { stateMachineArn: arnOf('Flow'), name: 'ok', input: '{"value":9}' });
    const failed = await call('StartExecution', { stateMachineArn: arnOf('Flow'), name: 'ko', input: '{"fail":true}' });
    expect((await closed(succeeded.executionArn)).status).toBe('SUCCEEDED');
    expect((await closed(failed.executionArn)).status).toBe('FAILED');
    // RUNNING, then ABORTED
    const running = await call('StartExecution', { stateMachineArn: arnOf('Gate'), name: 'held' });
    await call('DescribeExecution', { executionArn: running.executionArn });
    await call('ListExecutions', { stateMachineArn: arnOf('Gate'), statusFilter: 'RUNNING' });
    await call('StopExecution', { executionArn: running.executionArn, error: 'Stop', cause: 'test' });
    await call('DescribeExecution', { executionArn: running.executionArn });
    for (const executionArn of [succeeded.executionArn, failed.executionArn, running.executionArn]) {
      await call('GetExecutionHistory', { executionArn });
      await call('GetExecutionHistory', { executionArn, includeExecutionData: false, reverseOrder: true, maxResults: 1 });
    }
    const listed = await call('ListExecutions', { stateMachineArn: arnOf('Flow'), maxResults: 1 });
    await call('ListExecutions', { stateMachineArn: arnOf('Flow'), nextToken: listed.nextToken });
  });

  it('answers SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat in AWS\'s shapes', async () => {
    const first = await call('StartExecution', { stateMachineArn: arnOf('Callback') });
    const token = await callback.nextToken();
    await call('SendTaskHeartbeat', { taskToken: token });
    await call('SendTaskSuccess', { taskToken: token, output: '{}' });
    await call('StartExecution', { stateMachineArn: arnOf('Callback') });
    await call('SendTaskFailure', { taskToken: await callback.nextToken(), error: 'E', cause: 'C' });
    await closed(first.executionArn);
    await call('GetExecutionHistory', { executionArn: first.executionArn });
    await call('ListMapRuns', { executionArn: first.executionArn });
  });

  it('answers for an execution started again after a restart (redriveCount, redriveDate, ExecutionRedriven) in the current API\'s shapes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sfn-contract-'));
    const held = gateMachine();
    try {
      const first = await startStepFunctionsServer({ stateMachines: [held.machine], s3: unusedS3(), stateDir });
      const started = (await (await fetch(first.endpoint, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'AWSStepFunctions.StartExecution' },
        body: JSON.stringify({ stateMachineArn: arnOf('Gate'), name: 'again' }),
      })).json()) as { executionArn: string };
      await first.close({ drainMs: 10 });
      const second = await startStepFunctionsServer({ stateMachines: [gate.machine], s3: unusedS3(), stateDir });
      try {
        const raw = async (operation: string, body: object) => {
          const answer = (await (await fetch(second.endpoint, { method: 'POST', headers: { 'X-Amz-Target': `AWSStepFunctions.${operation}` }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
          expect(outputProblems(operation, answer)).toEqual([]);
          return answer;
        };
        expect(await raw('DescribeExecution', { executionArn: started.executionArn })).toMatchObject({ redriveCount: 1, redriveDate: expect.any(Number) });
        expect(await raw('ListExecutions', { stateMachineArn: arnOf('Gate') })).toMatchObject({ executions: [{ redriveCount: 1 }] });
        const { events } = (await raw('GetExecutionHistory', { executionArn: started.executionArn })) as { events: Array<{ type: string }> };
        expect(events.map((event) => event.type)).toContain('ExecutionRedriven');
      } finally {
        await second.close({ drainMs: 10 });
      }
    } finally {
      held.gate.resolve();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['StartExecution', { stateMachineArn: 'nope' }, 'InvalidArn'],
    ['StartExecution', { stateMachineArn: arnOf('Nope') }, 'StateMachineDoesNotExist'],
    ['StartExecution', { stateMachineArn: arnOf('Flow'), name: 'a b' }, 'InvalidName'],
    ['StartExecution', { stateMachineArn: arnOf('Flow'), input: '{' }, 'InvalidExecutionInput'],
    ['StartExecution', {}, 'ValidationException'],
    ['DescribeExecution', { executionArn: `${arnOf('Flow')}:x` }, 'InvalidArn'],
    ['DescribeExecution', { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:none' }, 'ExecutionDoesNotExist'],
    ['ListExecutions', { stateMachineArn: arnOf('Flow'), nextToken: 'bad' }, 'InvalidToken'],
    ['StopExecution', { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:none' }, 'ExecutionDoesNotExist'],
    ['GetExecutionHistory', { executionArn: 'x' }, 'InvalidArn'],
    ['SendTaskSuccess', { taskToken: 'bad', output: '{}' }, 'InvalidToken'],
    ['SendTaskHeartbeat', { taskToken: `LT1${'A'.repeat(64)}` }, 'TaskDoesNotExist'],
    ['ListMapRuns', { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:none' }, 'ExecutionDoesNotExist'],
    ['DescribeMapRun', { mapRunArn: 'arn:aws:states:us-east-1:000000000000:mapRun:Flow/Map:none' }, 'ResourceNotFound'],
    ['UpdateMapRun', { mapRunArn: 'arn:aws:states:us-east-1:000000000000:execution:Flow:x', maxConcurrency: 1 }, 'InvalidArn'],
    ['DescribeStateMachine', { stateMachineArn: arnOf('Nope') }, 'StateMachineDoesNotExist'],
  ])('answers %s %j with %s, an error the model declares for it, as {__type, message}', async (operation, body, code) => {
    const response = await fetch(api().server.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${operation}` },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    expect([response.status, response.headers.get('x-amzn-errortype'), Object.keys(answer).sort()]).toEqual([400, code, ['__type', 'message']]);
    expect(answer.__type).toBe(code);
    expect(errorCodesOf(operation)).toContain(code);
  });
});
