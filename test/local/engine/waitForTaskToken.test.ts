import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import {
  MissingTaskHandlerError,
  TaskTokens,
  TaskTokensRequiredError,
  UnsupportedDefinitionError,
  runExecution,
  type AslDefinition,
  type RunExecutionOptions,
} from '../../../local/engine';
import { loadStatesTimeoutError } from '../../../local/engine/tasks/statesTimeoutError';
import { namedError } from './fixtures';
import { APPROVE_FN, ManualTimers, approvalMachine, recordingHandler } from './taskTokenFixtures';

// No ItemReader/ResultWriter here: S3 is never called (a call would fail fast on port 9).
const s3 = new S3Client(localS3ClientConfig('http://127.0.0.1:9'));
afterAll(() => s3.destroy());

const DAY_MS = 86_400_000;

function start(definition: AslDefinition, overrides: Partial<RunExecutionOptions> = {}) {
  const timers = new ManualTimers();
  const taskTokens = new TaskTokens({ timers });
  const approval = recordingHandler();
  const run = runExecution({ definition, input: { runId: 'r1' }, executionName: 'e1', s3, taskHandlers: { [APPROVE_FN]: approval.handler }, taskTokens, ...overrides });
  return { timers, taskTokens, approval, run };
}

describe('.waitForTaskToken Tasks', () => {
  it('run the FunctionName handler with $$.Task.Token in its Payload and finish with the output SendTaskSuccess sent', async () => {
    // GIVEN a machine waiting for an approval token
    const { taskTokens, approval, run } = start(approvalMachine());
    // WHEN the handler has run and the token is answered
    const event = await approval.next();
    expect(event).toEqual({ runId: 'r1', token: expect.any(String) });
    taskTokens.sendTaskSuccess({ taskToken: String(event.token), output: JSON.stringify({ approved: true, by: 'ana' }) });
    // THEN the output is the task's result (ResultPath applied), not the handler's return value
    const outcome = await run;
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { runId: 'r1', decision: { approved: true, by: 'ana' } } });
    expect(outcome.stats.taskInvocations).toEqual({ [APPROVE_FN]: 1 });
    // One transition per state entered (Approve, Done): waiting costs none
    expect(outcome.stats.stateTransitions).toBe(2);
  });

  it('issue an opaque token of at most 2,048 characters, different for every task', async () => {
    // GIVEN three callback tasks in a Parallel
    const branch = (name: string) => ({ StartAt: name, States: { [name]: { ...approvalMachine().States.Approve, ResultPath: null, End: true } } });
    const definition: AslDefinition = { StartAt: 'All', States: { All: { Type: 'Parallel', Branches: [branch('A'), branch('B'), branch('C')], End: true } } };
    const { taskTokens, approval, run } = start(definition);
    // WHEN all three are waiting
    const tokens = (await Promise.all([approval.next(), approval.next(), approval.next()])).map((event) => String(event.token));
    // THEN the tokens are distinct, long enough not to be guessed, and within AWS's limit
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) {
      expect(token.length).toBeGreaterThanOrEqual(64);
      expect(token.length).toBeLessThanOrEqual(2048);
      // Opaque: it names neither the state nor the execution it belongs to (a two-letter value such as the runId 'r1' would match a random token by chance).
      expect(token).not.toContain('Approve');
      expect(token).not.toContain('execution');
    }
    for (const token of tokens) taskTokens.sendTaskSuccess({ taskToken: token, output: '{}' });
    await expect(run).resolves.toMatchObject({ status: 'SUCCEEDED' });
  });

  it('route SendTaskFailure to the Catch with the error and cause sent', async () => {
    // GIVEN a callback task that catches Rejected
    const { taskTokens, approval, run } = start(approvalMachine({ Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.error', Next: 'Caught' }] }));
    // WHEN the token is failed
    const { token } = await approval.next();
    taskTokens.sendTaskFailure({ taskToken: String(token), error: 'Rejected', cause: 'counts look wrong' });
    // THEN the Catch got exactly that error and cause
    await expect(run).resolves.toMatchObject({ status: 'SUCCEEDED', output: { runId: 'r1', route: 'Caught', error: { Error: 'Rejected', Cause: 'counts look wrong' } } });
  });

  it('fail the execution with the error and cause sent when nothing catches them', async () => {
    const { taskTokens, approval, run } = start(approvalMachine());
    const { token } = await approval.next();
    taskTokens.sendTaskFailure({ taskToken: String(token), error: 'Rejected', cause: 'no' });
    await expect(run).resolves.toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' });
  });

  it('time out after TimeoutSeconds with States.Timeout, which a Catch on States.Timeout catches and States.TaskFailed does not', async () => {
    // GIVEN a 1-hour callback task whose first catcher is States.TaskFailed (AWS: it matches everything but States.Timeout)
    const definition = approvalMachine({
      TimeoutSeconds: 3600,
      Catch: [
        { ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Caught' },
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' },
      ],
      Next: 'Done',
    });
    const { timers, approval, run, taskTokens } = start(definition);
    const { token } = await approval.next();
    // WHEN just under an hour passes, nothing happens; at the hour the task times out
    timers.advance(3_599_999);
    timers.advance(1);
    const outcome = await run;
    // THEN the States.Timeout catcher ran, and the token is closed
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { route: 'TimedOut', error: { Error: 'States.Timeout' } } });
    expect(String((outcome.output as { error: { Cause: string } }).error.Cause)).toContain('TimeoutSeconds 3600');
    expect(() => taskTokens.sendTaskSuccess({ taskToken: String(token), output: '{}' })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('read TimeoutSecondsPath from the state input', async () => {
    const { timers, approval, run } = start(approvalMachine({ TimeoutSecondsPath: '$.waitSeconds' }), { input: { runId: 'r1', waitSeconds: 60 } });
    await approval.next();
    timers.advance(60_000);
    await expect(run).resolves.toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('time out with States.HeartbeatTimeout when no heartbeat comes within HeartbeatSeconds; Retry then issues a fresh token', async () => {
    // GIVEN a task with a 10 s heartbeat, retried once on States.HeartbeatTimeout, then caught
    const definition = approvalMachine({
      HeartbeatSeconds: 10,
      Retry: [{ ErrorEquals: ['States.HeartbeatTimeout'], MaxAttempts: 1 }],
      Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], ResultPath: '$.error', Next: 'TimedOut' }],
    });
    const { timers, approval, run, taskTokens } = start(definition, { retryIntervalOverrides: { Approve: 0 } });
    // WHEN both attempts go 10 s without a heartbeat
    const first = await approval.next();
    timers.advance(10_000);
    const second = await approval.next();
    timers.advance(10_000);
    const outcome = await run;
    // THEN each attempt had its own token, the first is closed, and the Catch got States.HeartbeatTimeout
    expect(second.token).not.toBe(first.token);
    expect(() => taskTokens.sendTaskHeartbeat({ taskToken: String(first.token) })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { route: 'TimedOut', error: { Error: 'States.HeartbeatTimeout' } } });
    // Approve entered, retried once, TimedOut entered
    expect(outcome.stats.stateTransitions).toBe(3);
    expect(outcome.stats.taskInvocations).toEqual({ [APPROVE_FN]: 2 });
  });

  it('let States.TaskFailed catch States.HeartbeatTimeout (it excludes only States.Timeout)', async () => {
    const { timers, approval, run } = start(approvalMachine({ HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Caught' }] }));
    await approval.next();
    timers.advance(5_000);
    await expect(run).resolves.toMatchObject({ status: 'SUCCEEDED', output: { route: 'Caught', error: { Error: 'States.HeartbeatTimeout' } } });
  });

  it('keep waiting while heartbeats arrive within HeartbeatSeconds', async () => {
    // GIVEN a task with a 10 s heartbeat and a 60 s timeout
    const { timers, approval, run, taskTokens } = start(approvalMachine({ HeartbeatSeconds: 10, TimeoutSeconds: 60 }));
    const { token } = await approval.next();
    // WHEN a heartbeat comes every 8 s for 40 s
    for (let i = 0; i < 5; i += 1) {
      timers.advance(8_000);
      expect(taskTokens.sendTaskHeartbeat({ taskToken: String(token) })).toEqual({});
    }
    // THEN the task still waits and takes the answer
    taskTokens.sendTaskSuccess({ taskToken: String(token), output: '"yes"' });
    await expect(run).resolves.toMatchObject({ status: 'SUCCEEDED', output: { decision: 'yes' } });
  });

  it('wait without TimeoutSeconds as long as the execution runs (past the package default of 60 s, for a year)', async () => {
    // GIVEN the package's own timers faked too, so its default 60 s Task timeout would show
    await loadStatesTimeoutError();
    jest.useFakeTimers();
    try {
      const { timers, approval, run, taskTokens } = start(approvalMachine());
      const { token } = await approval.next();
      // WHEN a year passes on the engine's timers and two minutes on the package's
      timers.advance(365 * DAY_MS);
      jest.advanceTimersByTime(120_000);
      // THEN nothing timed out; the answer still completes the task
      expect(timers.pending).toBe(0);
      taskTokens.sendTaskSuccess({ taskToken: String(token), output: '1' });
      await expect(run).resolves.toMatchObject({ status: 'SUCCEEDED', output: { decision: 1 } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('fail the task with the handler error, and close its token, when the handler throws', async () => {
    const definition = approvalMachine({ Catch: [{ ErrorEquals: ['NotifyError'], ResultPath: '$.error', Next: 'Caught' }] });
    let seenToken = '';
    const taskTokens = new TaskTokens({ timers: new ManualTimers() });
    const outcome = await runExecution({
      definition,
      input: { runId: 'r1' },
      executionName: 'e1',
      s3,
      taskTokens,
      taskHandlers: {
        [APPROVE_FN]: async (event) => {
          seenToken = String((event as { token: string }).token);
          throw namedError('NotifyError', 'SNS refused the message');
        },
      },
    });
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { route: 'Caught', error: { Error: 'NotifyError', Cause: 'SNS refused the message' } } });
    expect(() => taskTokens.sendTaskSuccess({ taskToken: seenToken, output: '{}' })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('run any other .waitForTaskToken resource with its own handler and the resolved Parameters', async () => {
    // GIVEN an SQS callback task
    const resource = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    const definition: AslDefinition = {
      StartAt: 'Ask',
      States: { Ask: { Type: 'Task', Resource: resource, Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token', 'id.$': '$.runId' } }, End: true } },
    };
    const sqs = recordingHandler({ MessageId: 'm1' });
    const taskTokens = new TaskTokens({ timers: new ManualTimers() });
    const run = runExecution({ definition, input: { runId: 'r9' }, executionName: 'e1', s3, taskTokens, taskHandlers: { [resource]: sqs.handler } });
    // WHEN the message is sent and answered
    const message = await sqs.next();
    expect(message).toEqual({ QueueUrl: 'q', MessageBody: { token: expect.any(String), id: 'r9' } });
    taskTokens.sendTaskSuccess({ taskToken: String((message.MessageBody as { token: string }).token), output: '{"ok":true}' });
    // THEN the answer is the output
    await expect(run).resolves.toMatchObject({ status: 'SUCCEEDED', output: { ok: true } });
  });

  it('close the tokens of a stopped execution: TaskTimedOut afterwards', async () => {
    // GIVEN a waiting task
    const stop = new AbortController();
    const { approval, run, taskTokens } = start(approvalMachine(), { signal: stop.signal });
    const { token } = await approval.next();
    // WHEN the execution is stopped
    stop.abort();
    // THEN its token answers TaskTimedOut at once, as on AWS, and the execution ends ABORTED
    expect(() => taskTokens.sendTaskSuccess({ taskToken: String(token), output: '{}' })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    await expect(run).resolves.toMatchObject({ status: 'ABORTED' });
  });

  it('close the tokens still waiting when the execution ends otherwise', async () => {
    // GIVEN a Parallel whose other branch fails while a callback task waits
    const definition: AslDefinition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Wait', States: { Wait: { ...approvalMachine().States.Approve, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Boom', Cause: 'b' } } },
          ],
          End: true,
        },
      },
    };
    const { approval, run, taskTokens } = start(definition);
    const { token } = await approval.next();
    await expect(run).resolves.toMatchObject({ status: 'FAILED', error: 'Boom' });
    expect(() => taskTokens.sendTaskSuccess({ taskToken: String(token), output: '{}' })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });

  it('take an answer sent while the handler still runs', async () => {
    // GIVEN a handler that answers its own token before it returns
    const taskTokens = new TaskTokens({ timers: new ManualTimers() });
    const outcome = await runExecution({
      definition: approvalMachine(),
      input: { runId: 'r1' },
      executionName: 'e1',
      s3,
      taskTokens,
      taskHandlers: {
        [APPROVE_FN]: async (event) => {
          taskTokens.sendTaskSuccess({ taskToken: (event as { token: string }).token, output: '"auto"' });
          return {};
        },
      },
    });
    // THEN the answer is the result
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { decision: 'auto' } });
  });

  it('give children of a distributed Map their own tokens, closed when the execution is stopped', async () => {
    // GIVEN a distributed Map over two items whose child waits for a token
    const child = { ...approvalMachine().States.Approve, Parameters: { FunctionName: APPROVE_FN, Payload: { 'item.$': '$', 'token.$': '$$.Task.Token' } }, ResultPath: null, End: true };
    const definition: AslDefinition = {
      StartAt: 'Fan',
      States: { Fan: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Wait', States: { Wait: child } }, End: true } },
    };
    const stop = new AbortController();
    const { approval, run, taskTokens } = start(definition, { input: { items: ['a', 'b'] }, signal: stop.signal });
    // WHEN one child is answered and the execution is then stopped
    const [first, second] = await Promise.all([approval.next(), approval.next()]);
    taskTokens.sendTaskSuccess({ taskToken: String(first.token), output: '{}' });
    stop.abort();
    // THEN the other child's token is closed and the execution ends ABORTED
    expect(() => taskTokens.sendTaskSuccess({ taskToken: String(second.token), output: '{}' })).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    await expect(run).resolves.toMatchObject({ status: 'ABORTED' });
  });

  describe('refuses before running', () => {
    const taskTokens = new TaskTokens({ timers: new ManualTimers() });
    const refused = (definition: AslDefinition, options: Partial<RunExecutionOptions> = {}) =>
      runExecution({ definition, input: {}, executionName: 'e1', s3, taskTokens, taskHandlers: { [APPROVE_FN]: async () => ({}) }, ...options });

    it('a callback task when runExecution got no taskTokens', async () => {
      await expect(refused(approvalMachine(), { taskTokens: undefined })).rejects.toBeInstanceOf(TaskTokensRequiredError);
    });

    it('a FunctionName without a handler', async () => {
      await expect(refused(approvalMachine(), { taskHandlers: {} })).rejects.toThrow(MissingTaskHandlerError);
      await expect(refused(approvalMachine(), { taskHandlers: {} })).rejects.toThrow(`state Approve: resource ${APPROVE_FN}`);
    });

    it('$$.Task.Token inside an intrinsic function', async () => {
      const definition = approvalMachine({ Parameters: { FunctionName: APPROVE_FN, Payload: { 'link.$': "States.Format('https://x/?t={}', $$.Task.Token)" } } });
      await expect(refused(definition)).rejects.toBeInstanceOf(UnsupportedDefinitionError);
    });

    it('HeartbeatSeconds not below TimeoutSeconds', async () => {
      await expect(refused(approvalMachine({ HeartbeatSeconds: 60, TimeoutSeconds: 60 }))).rejects.toThrow('HeartbeatSeconds (60) must be smaller than TimeoutSeconds (60)');
    });
  });
});
