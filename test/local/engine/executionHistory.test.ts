import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { EventCallbackError, TaskTokens, runExecution, type AslDefinition, type HistoryEventBody, type RunExecutionOptions } from '../../../local/engine';
import { deferred, waitFor, type Deferred } from '../../support';
import { fn, namedError, processor } from './fixtures';
import { APPROVE_FN, ManualTimers, approvalMachine, recordingHandler } from './taskTokenFixtures';

// No ItemReader/ResultWriter here: S3 is never called (a call would fail fast on port 9).
const s3 = new S3Client(localS3ClientConfig('http://127.0.0.1:9'));
afterAll(() => s3.destroy());

const entered = (type: string, name: string, input: unknown) => ({ type: `${type}StateEntered`, stateEnteredEventDetails: { name, input: JSON.stringify(input), inputDetails: { truncated: false } } });
const exited = (type: string, name: string, output: unknown) => ({ type: `${type}StateExited`, stateExitedEventDetails: { name, output: JSON.stringify(output), outputDetails: { truncated: false } } });

async function historyOf(options: Omit<RunExecutionOptions, 'executionName' | 's3' | 'onHistoryEvent'>) {
  const history: HistoryEventBody[] = [];
  const outcome = await runExecution({ executionName: 'e1', s3, onHistoryEvent: (event) => history.push(event), ...options });
  return { history, outcome };
}

describe('runExecution history (onHistoryEvent)', () => {
  it('lists every state entered and exited, and each Lambda function ARN Task as LambdaFunction events, in order', async () => {
    // GIVEN Task → Choice → Pass → Wait 0 s → Succeed
    const definition: AslDefinition = {
      StartAt: 'Plan',
      States: {
        Plan: { Type: 'Task', Resource: fn('plan'), TimeoutSeconds: 30, Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.batches', NumericGreaterThan: 0, Next: 'Note' }], Default: 'Done' },
        Note: { Type: 'Pass', Result: 'noted', ResultPath: '$.note', Next: 'Breathe' },
        Breathe: { Type: 'Wait', Seconds: 0, Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    // WHEN it runs
    const { history, outcome } = await historyOf({ definition, input: { runId: 'r1' }, taskHandlers: { [fn('plan')]: async () => ({ batches: 2 }) } });
    // THEN the history is exactly GetExecutionHistory's events between ExecutionStarted and the closing event
    expect(outcome.status).toBe('SUCCEEDED');
    expect(history).toEqual([
      entered('Task', 'Plan', { runId: 'r1' }),
      { type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: fn('plan'), input: '{"runId":"r1"}', inputDetails: { truncated: false }, timeoutInSeconds: 30 } },
      { type: 'LambdaFunctionStarted' },
      { type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: { output: '{"batches":2}', outputDetails: { truncated: false } } },
      exited('Task', 'Plan', { batches: 2 }),
      entered('Choice', 'Check', { batches: 2 }),
      exited('Choice', 'Check', { batches: 2 }),
      entered('Pass', 'Note', { batches: 2 }),
      exited('Pass', 'Note', { batches: 2, note: 'noted' }),
      entered('Wait', 'Breathe', { batches: 2, note: 'noted' }),
      exited('Wait', 'Breathe', { batches: 2, note: 'noted' }),
      entered('Succeed', 'Done', { batches: 2, note: 'noted' }),
      exited('Succeed', 'Done', { batches: 2, note: 'noted' }),
    ]);
  });

  it('records every attempt of a retried Task under one TaskStateEntered, and a caught failure before the state exits', async () => {
    // GIVEN a Task that fails twice with BatchLeaseHeldError (retried once, then caught) and a Fail state
    const definition: AslDefinition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: fn('work'),
          Retry: [{ ErrorEquals: ['BatchLeaseHeldError'], MaxAttempts: 1, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
          Next: 'Failed',
        },
        Failed: { Type: 'Fail', Error: 'RunFailed', Cause: 'the work failed' },
      },
    };
    const work = async () => {
      throw namedError('BatchLeaseHeldError', 'batch b1 is leased');
    };
    // WHEN it runs
    const { history, outcome } = await historyOf({ definition, input: {}, taskHandlers: { [fn('work')]: work }, retryIntervalOverrides: { Work: 0 } });
    // THEN both attempts appear, the state exits with the caught error, and the Fail state is entered (never exited)
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunFailed' });
    const failed = { type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: { error: 'BatchLeaseHeldError', cause: 'batch b1 is leased' } };
    const attempt = [expect.objectContaining({ type: 'LambdaFunctionScheduled' }), { type: 'LambdaFunctionStarted' }, failed];
    const caughtOutput = { error: { Error: 'BatchLeaseHeldError', Cause: 'batch b1 is leased' } };
    expect(history).toEqual([entered('Task', 'Work', {}), ...attempt, ...attempt, exited('Task', 'Work', caughtOutput), entered('Fail', 'Failed', caughtOutput)]);
  });

  it('records a distributed Map as MapState and MapRun events, without its children', async () => {
    // GIVEN a distributed Map over three items whose child Task is a Lambda function
    const definition: AslDefinition = { StartAt: 'Fan', States: { Fan: { Type: 'Map', ItemProcessor: processor(fn('child')), MaxConcurrency: 2, End: true } } };
    const mapRunArns: string[] = [];
    // WHEN it runs
    const { history, outcome } = await historyOf({
      definition,
      input: [1, 2, 3],
      taskHandlers: { [fn('child')]: async (n) => Number(n) * 10 },
      onEvent: (event) => void (event.kind === 'map-run-started' && mapRunArns.push(event.mapRunArn)),
    });
    // THEN the parent's history shows the Map Run, and nothing of the child executions
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: [10, 20, 30] });
    expect(history).toEqual([
      entered('Map', 'Fan', [1, 2, 3]),
      { type: 'MapStateStarted', mapStateStartedEventDetails: { length: 3 } },
      { type: 'MapRunStarted', mapRunStartedEventDetails: { mapRunArn: mapRunArns[0] } },
      { type: 'MapRunSucceeded' },
      { type: 'MapStateSucceeded' },
      exited('Map', 'Fan', [10, 20, 30]),
    ]);
  });

  it('records a Map Run over its tolerated failures as MapRunFailed with the error and cause, then MapStateFailed', async () => {
    // GIVEN a distributed Map whose only child fails
    const definition: AslDefinition = { StartAt: 'Fan', States: { Fan: { Type: 'Map', ItemProcessor: processor(fn('child')), End: true } } };
    const child = async () => {
      throw namedError('Boom', 'no');
    };
    // WHEN it runs
    const { history, outcome } = await historyOf({ definition, input: [1], taskHandlers: { [fn('child')]: child } });
    // THEN
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(history.map((event) => event.type)).toEqual(['MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed']);
    expect(history[3]).toEqual({ type: 'MapRunFailed', mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold', cause: outcome.cause } });
  });

  it('records lambda:invoke as Task events with resourceType lambda, and an inline Map and a Parallel with their iterations', async () => {
    // GIVEN a Parallel with one branch holding an inline Map of lambda:invoke Tasks over two items
    const invoke = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: fn('double'), 'Payload.$': '$' }, ResultSelector: { 'n.$': '$.Payload' }, End: true };
    const inline = { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Double', States: { Double: invoke } }, MaxConcurrency: 1, End: true };
    const definition: AslDefinition = { StartAt: 'Both', States: { Both: { Type: 'Parallel', Branches: [{ StartAt: 'Each', States: { Each: inline } }], End: true } } };
    // WHEN it runs
    const { history, outcome } = await historyOf({ definition, input: [1, 2], taskHandlers: { [fn('double')]: async (n) => Number(n) * 2 } });
    // THEN
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: [[{ n: 2 }, { n: 4 }]] });
    const task = { resourceType: 'lambda', resource: 'invoke' };
    const iteration = (index: number, n: number) => [
      { type: 'MapIterationStarted', mapIterationStartedEventDetails: { name: 'Each', index } },
      entered('Task', 'Double', n),
      { type: 'TaskScheduled', taskScheduledEventDetails: { ...task, region: 'us-east-1', parameters: JSON.stringify({ FunctionName: fn('double'), Payload: n }) } },
      { type: 'TaskStarted', taskStartedEventDetails: task },
      { type: 'TaskSucceeded', taskSucceededEventDetails: { ...task, output: expect.stringContaining(`"Payload":${n * 2}`), outputDetails: { truncated: false } } },
      exited('Task', 'Double', { n: n * 2 }),
      { type: 'MapIterationSucceeded', mapIterationSucceededEventDetails: { name: 'Each', index } },
    ];
    expect(history).toEqual([
      entered('Parallel', 'Both', [1, 2]),
      { type: 'ParallelStateStarted' },
      entered('Map', 'Each', [1, 2]),
      { type: 'MapStateStarted', mapStateStartedEventDetails: {} },
      ...iteration(0, 1),
      ...iteration(1, 2),
      { type: 'MapStateSucceeded' },
      exited('Map', 'Each', [{ n: 2 }, { n: 4 }]),
      { type: 'ParallelStateSucceeded' },
      exited('Parallel', 'Both', [[{ n: 2 }, { n: 4 }]]),
    ]);
  });

  it('records a callback Task as TaskScheduled with the token, TaskSubmitted when the function returns, then TaskSucceeded or TaskTimedOut', async () => {
    // GIVEN two executions waiting for an approval token, with HeartbeatSeconds on the second
    const timers = new ManualTimers();
    const taskTokens = new TaskTokens({ timers });
    const approval = recordingHandler({ asked: true });
    const start = (definition: AslDefinition) => {
      const history: HistoryEventBody[] = [];
      const run = runExecution({ definition, input: { runId: 'r1' }, executionName: 'e1', s3, taskHandlers: { [APPROVE_FN]: approval.handler }, taskTokens, onHistoryEvent: (e) => history.push(e) });
      return { history, run };
    };
    const answered = start(approvalMachine());
    const token = String((await approval.next()).token);
    await waitFor(() => answered.history.some((event) => event.type === 'TaskSubmitted'), { describe: 'the approval function to return' });
    taskTokens.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const silent = start(approvalMachine({ HeartbeatSeconds: 60 }));
    await approval.next();
    timers.advance(60_000);
    // WHEN both end
    const [successOutcome, timeoutOutcome] = await Promise.all([answered.run, silent.run]);
    const success = { history: answered.history, outcome: successOutcome };
    const timeout = { history: silent.history, outcome: timeoutOutcome };
    // THEN the first has the whole callback sequence, the second ends with TaskTimedOut
    const task = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
    expect(success.history.slice(0, 5)).toEqual([
      entered('Task', 'Approve', { runId: 'r1' }),
      { type: 'TaskScheduled', taskScheduledEventDetails: { ...task, region: 'us-east-1', parameters: JSON.stringify({ FunctionName: APPROVE_FN, Payload: { runId: 'r1', token } }) } },
      { type: 'TaskStarted', taskStartedEventDetails: task },
      { type: 'TaskSubmitted', taskSubmittedEventDetails: { ...task, output: expect.stringContaining('"Payload":{"asked":true}'), outputDetails: { truncated: false } } },
      { type: 'TaskSucceeded', taskSucceededEventDetails: { ...task, output: '{"approved":true}', outputDetails: { truncated: false } } },
    ]);
    expect(timeout.outcome).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(timeout.history[1]).toMatchObject({ type: 'TaskScheduled', taskScheduledEventDetails: { heartbeatInSeconds: 60 } });
    expect(timeout.history.at(-1)).toEqual({ type: 'TaskTimedOut', taskTimedOutEventDetails: { ...task, error: 'States.HeartbeatTimeout', cause: expect.stringContaining('HeartbeatSeconds 60') } });
  });

  it('records LambdaFunctionTimedOut when the Task TimeoutSeconds passes, and nothing when the handler returns later', async () => {
    // GIVEN a Lambda Task with a 10 ms timeout (the package times it; fractional seconds only to keep the test fast) whose handler answers after it
    const late = deferred();
    const returned = deferred();
    const slow = async () => {
      await late.promise;
      returned.resolve();
      return { late: true };
    };
    const definition: AslDefinition = { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('slow'), TimeoutSeconds: 0.01, End: true } } };
    // WHEN it runs, and the handler returns after the execution failed
    const { history, outcome } = await historyOf({ definition, input: {}, taskHandlers: { [fn('slow')]: slow } });
    late.resolve();
    await returned.promise;
    await new Promise((resolve) => setImmediate(resolve));
    // THEN the attempt ends with LambdaFunctionTimedOut, once
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(history.map((event) => event.type)).toEqual(['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionTimedOut']);
    expect(history[3]).toEqual({ type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout', cause: expect.any(String) } });
  });

  it('ends a stopped execution with ...StateAborted for the open states, and nothing after', async () => {
    // GIVEN one execution stopped while its Lambda Task runs, one while its distributed Map's child runs
    const taskRunning = deferred();
    const childRunning = deferred();
    const release = deferred();
    const returned = [deferred(), deferred()];
    const hold = (running: Deferred<void>, done: Deferred<void>) => async () => {
      running.resolve();
      await release.promise;
      done.resolve();
      return {};
    };
    const stopWhile = async (definition: AslDefinition, running: Deferred<void>) => {
      const history: HistoryEventBody[] = [];
      const stop = new AbortController();
      const handlers = { [fn('slow')]: hold(taskRunning, returned[0]), [fn('child')]: hold(childRunning, returned[1]) };
      const run = runExecution({ definition, input: [1], executionName: 'e1', s3, taskHandlers: handlers, signal: stop.signal, onHistoryEvent: (e) => history.push(e) });
      await running.promise;
      stop.abort();
      return { history, outcome: await run };
    };
    // WHEN both are stopped, and the held handlers return afterwards
    const task = await stopWhile({ StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('slow'), End: true } } }, taskRunning);
    const map = await stopWhile({ StartAt: 'Fan', States: { Fan: { Type: 'Map', ItemProcessor: processor(fn('child')), End: true } } }, childRunning);
    release.resolve();
    await Promise.all(returned.map((done) => done.promise));
    // One macrotask turn: the engine's wrappers of the returned handlers run their (microtask) continuations.
    await new Promise((resolve) => setImmediate(resolve));
    // THEN
    expect([task.outcome.status, map.outcome.status]).toEqual(['ABORTED', 'ABORTED']);
    expect(task.history.map((event) => event.type)).toEqual(['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'TaskStateAborted']);
    expect(map.history.map((event) => event.type)).toEqual(['MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunAborted', 'MapStateAborted']);
  });

  it('stops the execution and throws EventCallbackError when the listener throws', async () => {
    // GIVEN a listener that throws on the first event
    const definition: AslDefinition = { StartAt: 'Plan', States: { Plan: { Type: 'Task', Resource: fn('plan'), End: true } } };
    const calls: unknown[] = [];
    // WHEN the execution runs
    const run = runExecution({
      definition,
      input: {},
      executionName: 'e1',
      s3,
      taskHandlers: { [fn('plan')]: async () => calls.push(1) },
      onHistoryEvent: () => {
        throw new Error('disk full');
      },
    });
    // THEN it fails with the listener's error, naming the callback
    await expect(run).rejects.toBeInstanceOf(EventCallbackError);
    await expect(run).rejects.toThrow('The onHistoryEvent callback threw: disk full');
  });
});
