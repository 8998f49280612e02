import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { startStepFunctionsServer, type ExecutionStatusChangeEvent } from '../../../../local/cloud/stepfunctions';
import { deferred, waitFor } from '../../../support';
import { apiError, arnOf, describeWhenClosed, flowMachine, fn, gateMachine, localMachine, sfnClient, unusedS3, useFlowAndGateServer, useServer } from './fixtures';

const FLOW = arnOf('Flow');
const GATE = arnOf('Gate');

describe('the local Step Functions API: listing, stopping and watching executions', () => {
  const { api, gate, events } = useFlowAndGateServer();

  describe('ListExecutions', () => {
    it('lists a state machine\'s executions newest first, filtered by status, a page at a time', async () => {
      // GIVEN three finished Flow executions and one running Gate execution
      const { sfn } = api();
      for (const name of ['e1', 'e2', 'e3']) {
        const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name, input: '{"value":1}' }));
        await describeWhenClosed(sfn, executionArn!);
      }
      await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'held' }));
      // WHEN they are listed two at a time
      const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, maxResults: 2 }));
      const second = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, maxResults: 2, nextToken: first.nextToken }));
      // THEN newest first, only Flow's, and the last page has no token
      expect(first.executions!.map((e) => e.name)).toEqual(['e3', 'e2']);
      expect(first.nextToken).toEqual(expect.any(String));
      expect(second.executions!.map((e) => e.name)).toEqual(['e1']);
      expect(second.nextToken).toBeUndefined();
      expect(first.executions![0]).toMatchObject({ stateMachineArn: FLOW, status: 'SUCCEEDED', executionArn: expect.stringContaining(':Flow:e3') });
      // AND the status filter applies
      expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: GATE, statusFilter: 'RUNNING' }))).executions!.map((e) => e.name)).toEqual(['held']);
      expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: GATE, statusFilter: 'SUCCEEDED' }))).executions).toEqual([]);
    });

    it('refuses a nextToken it did not hand out for this query (InvalidToken) and an unknown state machine', async () => {
      const { sfn } = api();
      for (const name of ['e1', 'e2']) await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name, input: '{"value":1}' }));
      const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, maxResults: 1 }));
      await apiError(sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, nextToken: 'garbage' })), 'InvalidToken');
      await apiError(sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, statusFilter: 'FAILED', nextToken: first.nextToken })), 'InvalidToken');
      await apiError(sfn.send(new ListExecutionsCommand({ stateMachineArn: arnOf('Nope') })), 'StateMachineDoesNotExist');
      await apiError(sfn.send(new ListExecutionsCommand({})), 'ValidationException');
      await apiError(sfn.send(new ListExecutionsCommand({ stateMachineArn: FLOW, maxResults: 1001 })), 'ValidationException');
    });
  });

  describe('StopExecution', () => {
    it('aborts a running execution with the given error and cause, at once', async () => {
      // GIVEN an execution waiting in its Task
      const { sfn, server } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'to-stop' }));
      // WHEN it is stopped
      const cause = JSON.stringify({ actor: 'local:alice', reason: 'wrong spec' });
      const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'StoppedByOperator', cause }));
      // THEN it is ABORTED at the stop date with that error and cause
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(described).toMatchObject({ status: 'ABORTED', error: 'StoppedByOperator', cause, stopDate: stopped.stopDate });
      expect(await server.waitForExecution(executionArn!)).toEqual({ status: 'ABORTED', error: 'StoppedByOperator', cause });
      // AND the Task finishing afterwards changes nothing: the history ends with ExecutionAborted
      gate().gate.resolve();
      await new Promise((resolve) => setImmediate(resolve));
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'TaskStateAborted', 'ExecutionAborted']);
      expect(history.at(-1)).toMatchObject({ executionAbortedEventDetails: { error: 'StoppedByOperator', cause } });
    });

    it('leaves a closed execution as it is and answers its stop date', async () => {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: '{"value":1}' }));
      const closed = await describeWhenClosed(sfn, executionArn!);
      const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Late' }));
      expect(stopped.stopDate).toEqual(closed.stopDate);
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'SUCCEEDED' });
    });

    it('refuses an unknown execution (ExecutionDoesNotExist) and an error over 256 characters (ValidationException)', async () => {
      const { sfn } = api();
      await apiError(sfn.send(new StopExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Gate:nope' })), 'ExecutionDoesNotExist');
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE }));
      expect(await apiError(sfn.send(new StopExecutionCommand({ executionArn, error: 'e'.repeat(257) })), 'ValidationException')).toContain('error');
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    });
  });

  describe('status-change events', () => {
    it('sends the EventBridge event for RUNNING and for the closing status, with the stop\'s error and cause', async () => {
      const { sfn, server } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'watched', input: '{"runId":"r1"}' }));
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'StoppedByOperator', cause: 'because' }));
      await server.waitForExecution(executionArn!);
      expect(events.map((event) => event.detail.status)).toEqual(['RUNNING', 'ABORTED']);
      const [running, aborted] = events;
      expect(running).toMatchObject({
        version: '0',
        'detail-type': 'Step Functions Execution Status Change',
        source: 'aws.states',
        account: '000000000000',
        region: 'us-east-1',
        resources: [executionArn],
        detail: { executionArn, stateMachineArn: GATE, name: 'watched', input: '{"runId":"r1"}', stopDate: null, output: null, error: null, cause: null },
      });
      expect(running.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(aborted.detail).toMatchObject({ status: 'ABORTED', error: 'StoppedByOperator', cause: 'because', stopDate: expect.any(Number) });
      expect(aborted.detail.startDate).toBe(running.detail.startDate);
      expect(aborted.id).not.toBe(running.id);
    });
  });
});

describe('the local Step Functions API: executions that time out or that the engine cannot run', () => {
  const gate = gateMachine();
  const events: ExecutionStatusChangeEvent[] = [];
  const api = useServer(() => ({
    stateMachines: [
      localMachine('Slow', { ...gate.machine.definition, TimeoutSeconds: 1 }, gate.machine.taskHandlers),
      localMachine('Unbound', { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: fn('nobody'), End: true } } }),
    ],
    s3: unusedS3(),
    onExecutionStatusChange: async (event) => void events.push(event),
  }));
  afterAll(() => gate.gate.resolve());

  it('ends TIMED_OUT after the state machine\'s TimeoutSeconds, with ExecutionTimedOut and its status change', async () => {
    const { sfn, server } = api();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Slow') }));
    expect(await server.waitForExecution(executionArn!)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(history.at(-1)).toMatchObject({ type: 'ExecutionTimedOut', executionTimedOutEventDetails: { error: 'States.Timeout' } });
    expect(events.filter((event) => event.detail.executionArn === executionArn).map((event) => event.detail.status)).toEqual(['RUNNING', 'TIMED_OUT']);
  });

  it('fails an execution the engine refuses to run (a Task without a local handler), naming why', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { sfn, server } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Unbound') }));
      const closed = await server.waitForExecution(executionArn!);
      expect(closed).toMatchObject({ status: 'FAILED', error: 'MissingTaskHandlerError', cause: expect.stringContaining(fn('nobody')) });
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining(`execution ${executionArn} failed in the local engine: MissingTaskHandlerError`));
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('startStepFunctionsServer', () => {
  it('refuses two state machines with one name', async () => {
    await expect(startStepFunctionsServer({ stateMachines: [flowMachine(), flowMachine()], s3: unusedS3() })).rejects.toMatchObject({
      name: 'DuplicateStateMachineError',
      message: expect.stringContaining('two state machines are named Flow'),
    });
  });
});

describe('the local Step Functions API: a status-change target that throws', () => {
  const stderr: string[] = [];
  const api = useServer(() => ({
    stateMachines: [flowMachine()],
    s3: unusedS3(),
    onExecutionStatusChange: async (event) => {
      throw new Error(`target down for ${event.detail.status}`);
    },
  }));

  it('is logged and fails nothing', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
    try {
      const { sfn, server } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: '{"value":2}' }));
      expect(await server.waitForExecution(executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
      expect(stderr.join('')).toContain('target down for RUNNING');
      expect(stderr.join('')).toContain('target down for SUCCEEDED');
    } finally {
      write.mockRestore();
    }
  });
});

describe('StepFunctionsServer.close', () => {
  it('waits for the handler calls in flight, up to drainMs', async () => {
    // GIVEN an execution whose Task is running
    const gate = gateMachine();
    const server = await startStepFunctionsServer({ stateMachines: [gate.machine], s3: unusedS3() });
    const sfn = sfnClient(server);
    await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE }));
    await waitFor(() => gate.entered() === 1, { describe: 'the Task to start' });
    sfn.destroy();
    // WHEN the server closes with a long drain
    let closed = false;
    const closing = server.close({ drainMs: 30_000 }).then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    // THEN it waits for the Task, and ends once the Task has returned
    expect(closed).toBe(false);
    gate.gate.resolve();
    await closing;
    expect(closed).toBe(true);
  });

  it('gives up on a handler call that outlasts drainMs', async () => {
    const gate = gateMachine();
    const server = await startStepFunctionsServer({ stateMachines: [gate.machine], s3: unusedS3() });
    const sfn = sfnClient(server);
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE }));
      await waitFor(() => gate.entered() === 1, { describe: 'the Task to start' });
      const started = Date.now();
      await server.close({ drainMs: 200 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      sfn.destroy();
      gate.gate.resolve();
    }
  });
});

describe('status-change delivery order', () => {
  it('delivers one execution\'s events one at a time, RUNNING first, and waitForExecution resolves after the closing one', async () => {
    // GIVEN a target that holds the RUNNING event until the test lets it go
    const release = deferred();
    const delivered: string[] = [];
    const server = await startStepFunctionsServer({
      stateMachines: [flowMachine()],
      s3: unusedS3(),
      onExecutionStatusChange: async (event) => {
        delivered.push(`${event.detail.status} start`);
        if (event.detail.status === 'RUNNING') await release.promise;
        delivered.push(`${event.detail.status} end`);
      },
    });
    const sfn = sfnClient(server);
    try {
      // WHEN a quick execution closes while its RUNNING event is still being delivered
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: '{"value":1}' }));
      await describeWhenClosed(sfn, executionArn!);
      let waited = false;
      const waiting = server.waitForExecution(executionArn!).then(() => (waited = true));
      await new Promise((resolve) => setImmediate(resolve));
      // THEN the closing event waits for the RUNNING one, and so does waitForExecution
      expect([delivered, waited]).toEqual([['RUNNING start'], false]);
      release.resolve();
      await waiting;
      expect(delivered).toEqual(['RUNNING start', 'RUNNING end', 'SUCCEEDED start', 'SUCCEEDED end']);
    } finally {
      release.resolve();
      sfn.destroy();
      await server.close({ drainMs: 100 });
    }
  });
});
