import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { TaskTokens } from '../../../../local/engine';
import { apiError, arnOf, callbackMachine, describeWhenClosed, flowMachine, ROLE_ARN, unusedS3, useServer } from './fixtures';

const FLOW = arnOf('Flow');

describe('the local Step Functions API: state machines, history, task tokens, the wire', () => {
  let callback = callbackMachine();
  const api = useServer(() => {
    callback = callbackMachine();
    return { stateMachines: [flowMachine(), callback.machine], s3: unusedS3(), taskTokens: new TaskTokens() };
  });

  describe('ListStateMachines and DescribeStateMachine', () => {
    it('lists the registered state machines and pages them', async () => {
      const { sfn } = api();
      const listed = await sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines!.map((m) => [m.name, m.stateMachineArn, m.type])).toEqual([
        ['Flow', FLOW, 'STANDARD'],
        ['Callback', arnOf('Callback'), 'STANDARD'],
      ]);
      expect(listed.stateMachines![0].creationDate).toBeInstanceOf(Date);
      const first = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
      const second = await sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken: first.nextToken }));
      expect([first.stateMachines![0].name, second.stateMachines![0].name, second.nextToken]).toEqual(['Flow', 'Callback', undefined]);
    });

    it('describes one with its definition text and role', async () => {
      const { sfn } = api();
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: FLOW }));
      expect(described).toMatchObject({ stateMachineArn: FLOW, name: 'Flow', status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE_ARN, definition: flowMachine().definitionText });
      await apiError(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arnOf('Nope') })), 'StateMachineDoesNotExist');
      await apiError(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:lambda:us-east-1:000000000000:function:x' })), 'InvalidArn');
    });
  });

  describe('GetExecutionHistory', () => {
    async function finishedFlow(): Promise<string> {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'h1', input: '{"value":3}' }));
      await describeWhenClosed(sfn, executionArn!);
      return executionArn!;
    }

    it('numbers and stamps the events, from ExecutionStarted (input, role) to ExecutionSucceeded (output)', async () => {
      const executionArn = await finishedFlow();
      const { events } = await api().sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.id)).toEqual(events!.map((_, index) => index + 1));
      expect(events!.map((e) => e.previousEventId)).toEqual(events!.map((_, index) => index));
      expect(events![0]).toMatchObject({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"value":3}', inputDetails: { truncated: false }, roleArn: ROLE_ARN } });
      const last = events!.at(-1)!;
      expect(last).toMatchObject({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { outputDetails: { truncated: false } } });
      expect(JSON.parse(last.executionSucceededEventDetails!.output!)).toEqual({ value: 6 });
      expect(last.timestamp!.getTime()).toBeGreaterThanOrEqual(events![0].timestamp!.getTime());
    });

    it('lists the engine\'s state and task events between the two, in order', async () => {
      const executionArn = await finishedFlow();
      const { events } = await api().sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events!.map((e) => e.type)).toEqual([
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events![4]).toMatchObject({ lambdaFunctionScheduledEventDetails: { resource: expect.stringContaining(':function:double'), input: '{"value":3}' } });
      expect(events![6]).toMatchObject({ lambdaFunctionSucceededEventDetails: { output: '{"value":6}' } });
    });

    it('pages forwards and in reverse, and leaves out input and output without includeExecutionData', async () => {
      const executionArn = await finishedFlow();
      const { sfn } = api();
      const all = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      const pages = async (reverseOrder: boolean): Promise<HistoryEvent[]> => {
        const seen: HistoryEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1, reverseOrder, nextToken }));
          seen.push(...page.events!);
          nextToken = page.nextToken;
        } while (nextToken);
        return seen;
      };
      expect((await pages(false)).map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect((await pages(true)).map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());
      const bare = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }))).events!;
      expect(bare[0].executionStartedEventDetails).toEqual({ roleArn: ROLE_ARN });
      expect(bare.at(-1)!.executionSucceededEventDetails).toEqual({});
      await apiError(sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'x' })), 'InvalidToken');
      await apiError(sfn.send(new GetExecutionHistoryCommand({ executionArn: `${executionArn}-nope` })), 'ExecutionDoesNotExist');
    });
  });

  describe('SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat', () => {
    it('completes a waiting callback Task with SendTaskSuccess\'s output, after a heartbeat', async () => {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Callback') }));
      const taskToken = await callback.nextToken();
      expect(await sfn.send(new SendTaskHeartbeatCommand({ taskToken }))).toMatchObject({ $metadata: { httpStatusCode: 200 } });
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{"approved":true}' }));
      const described = await describeWhenClosed(sfn, executionArn!);
      expect([described.status, JSON.parse(described.output!)]).toEqual(['SUCCEEDED', { approved: true }]);
      const types = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type);
      expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
      // A second answer: the task is closed (AWS: TaskTimedOut)
      await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' })), 'TaskTimedOut');
    });

    it('fails the Task with SendTaskFailure\'s error and cause', async () => {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Callback') }));
      await sfn.send(new SendTaskFailureCommand({ taskToken: await callback.nextToken(), error: 'Rejected', cause: 'counts look wrong' }));
      expect(await describeWhenClosed(sfn, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'counts look wrong' });
    });

    it('answers AWS\'s error codes: InvalidToken, TaskDoesNotExist, InvalidOutput, ValidationException', async () => {
      const { sfn } = api();
      await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Callback') }));
      const taskToken = await callback.nextToken();
      await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })), 'InvalidToken');
      await apiError(sfn.send(new SendTaskHeartbeatCommand({ taskToken: `LT1${'A'.repeat(64)}` })), 'TaskDoesNotExist');
      await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken, output: 'not json' })), 'InvalidOutput');
      await apiError(sfn.send(new SendTaskFailureCommand({ taskToken, error: 'e'.repeat(257) })), 'ValidationException');
      await apiError(sfn.send(new SendTaskSuccessCommand({ taskToken } as never)), 'ValidationException');
    });
  });

  describe('the wire', () => {
    const post = (target: string | undefined, body: string) =>
      fetch(api().server.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', ...(target ? { 'X-Amz-Target': target } : {}) },
        body,
      });

    it('answers an operation it does not serve with UnknownOperationException naming those it does', async () => {
      const response = await post('AWSStepFunctions.CreateStateMachine', '{}');
      expect(response.status).toBe(400);
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
      const body = (await response.json()) as { __type: string; message: string };
      expect(body.__type).toBe('UnknownOperationException');
      for (const operation of ['StartExecution', 'GetExecutionHistory', 'SendTaskSuccess', 'UpdateMapRun']) expect(body.message).toContain(operation);
      expect(((await (await post(undefined, '{}')).json()) as { __type: string }).__type).toBe('UnknownOperationException');
    });

    it('answers a body that is not a JSON object with SerializationException, and timestamps as epoch seconds', async () => {
      const bad = await post('AWSStepFunctions.ListStateMachines', '[1');
      expect([bad.status, ((await bad.json()) as { __type: string }).__type]).toEqual([400, 'SerializationException']);
      const listed = await post('AWSStepFunctions.ListStateMachines', '');
      expect(listed.headers.get('content-type')).toBe('application/x-amz-json-1.0');
      const body = (await listed.json()) as { stateMachines: Array<{ creationDate: unknown }> };
      expect(typeof body.stateMachines[0].creationDate).toBe('number');
      expect(Math.abs((body.stateMachines[0].creationDate as number) - Date.now() / 1000)).toBeLessThan(60);
    });
  });
});
