import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import { MissingTaskHandlerError, UnsupportedDefinitionError, runExecution, type AslDefinition } from '../../../local/engine';
import { fn, namedError } from './fixtures';

const s3 = new S3Client(localS3ClientConfig('http://127.0.0.1:9'));
afterAll(() => s3.destroy());

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

function invokeMachine(parameters: Record<string, unknown>, task: Record<string, unknown> = {}): AslDefinition {
  return {
    StartAt: 'Call',
    States: {
      Call: { Type: 'Task', Resource: LAMBDA_INVOKE, Parameters: parameters, End: true, ...task },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

describe('arn:aws:states:::lambda:invoke', () => {
  it('runs the handler registered for FunctionName with Payload and returns the Invoke response around its result', async () => {
    // GIVEN a Task invoking the plan function with a payload built from the input, no token
    const seen: unknown[] = [];
    const definition = invokeMachine({ FunctionName: fn('plan'), Payload: { 'runId.$': '$.runId' } });
    // WHEN it runs
    const outcome = await runExecution({
      definition,
      input: { runId: 'r1' },
      executionName: 'e1',
      s3,
      taskHandlers: { [fn('plan')]: async (event) => (seen.push(event), { batches: 3 }) },
    });
    // THEN the handler got the Payload, and the Task result has AWS's shape
    expect(seen).toEqual([{ runId: 'r1' }]);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.output).toEqual({
      ExecutedVersion: '$LATEST',
      Payload: { batches: 3 },
      SdkHttpMetadata: {
        AllHttpHeaders: expect.objectContaining({ 'Content-Type': ['application/json'], 'X-Amz-Executed-Version': ['$LATEST'] }),
        HttpHeaders: expect.objectContaining({ 'Content-Type': 'application/json', 'x-amzn-RequestId': expect.any(String) }),
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: expect.any(String) },
      StatusCode: 200,
    });
    expect(outcome.stats.taskInvocations).toEqual({ [fn('plan')]: 1 });
  });

  it('selects $.Payload like an ASL written for AWS, and chooses the handler by a FunctionName.$ path', async () => {
    const definition = invokeMachine({ 'FunctionName.$': '$.target', 'Payload.$': '$' }, { OutputPath: '$.Payload' });
    const outcome = await runExecution({
      definition,
      input: { target: fn('b') },
      executionName: 'e1',
      s3,
      taskHandlers: { [fn('a')]: async () => 'a', [fn('b')]: async (event) => ({ got: event }) },
    });
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { got: { target: fn('b') } } });
  });

  it('gives the handler {} when there is no Payload', async () => {
    const seen: unknown[] = [];
    await runExecution({ definition: invokeMachine({ FunctionName: fn('a') }), input: { x: 1 }, executionName: 'e1', s3, taskHandlers: { [fn('a')]: async (e) => seen.push(e) } });
    expect(seen).toEqual([{}]);
  });

  it('fails the Task with the thrown error name and message, for Retry and Catch', async () => {
    let attempts = 0;
    const definition = invokeMachine({ FunctionName: fn('a') }, { Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['Busy'], Next: 'Caught' }] });
    const outcome = await runExecution({
      definition,
      input: {},
      executionName: 'e1',
      s3,
      retryIntervalOverrides: { Call: 0 },
      taskHandlers: { [fn('a')]: async () => ((attempts += 1), Promise.reject(namedError('Busy', 'try later'))) },
    });
    expect(attempts).toBe(2);
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { Error: 'Busy', Cause: 'try later' } });
  });

  it('refuses a static FunctionName without a handler before running, and a FunctionName.$ without one when it resolves', async () => {
    await expect(runExecution({ definition: invokeMachine({ FunctionName: fn('nope') }), input: {}, executionName: 'e1', s3, taskHandlers: {} })).rejects.toThrow(
      `state Call: resource ${fn('nope')}`,
    );
    const dynamic = runExecution({ definition: invokeMachine({ 'FunctionName.$': '$.f' }), input: { f: fn('nope') }, executionName: 'e1', s3, taskHandlers: {} });
    await expect(dynamic).rejects.toBeInstanceOf(MissingTaskHandlerError);
  });

  it('refuses an InvocationType it does not emulate and a Task without FunctionName', async () => {
    const run = (parameters: Record<string, unknown>) => runExecution({ definition: invokeMachine(parameters), input: {}, executionName: 'e1', s3, taskHandlers: { [fn('a')]: async () => 1 } });
    await expect(run({ FunctionName: fn('a'), InvocationType: 'Event' })).rejects.toBeInstanceOf(UnsupportedDefinitionError);
    await expect(run({ Payload: {} })).rejects.toThrow('FunctionName');
  });
});
