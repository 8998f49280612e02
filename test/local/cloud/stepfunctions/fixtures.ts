import { S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { localS3ClientConfig } from '../../../../local/aws';
import { startStepFunctionsServer, type ExecutionStatusChangeEvent, type LocalStateMachine, type StepFunctionsServer, type StepFunctionsServerOptions } from '../../../../local/cloud/stepfunctions';
import type { AslDefinition, TaskHandler } from '../../../../local/engine';
import { stateMachineArn } from '../../../../local/engine/arns';
import { deferred, waitFor, type Deferred } from '../../../support';

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/local-states';
export const REGION = 'us-east-1';

/** A Lambda-looking ARN for a toy handler. */
export const fn = (name: string): string => `arn:aws:lambda:${REGION}:000000000000:function:${name}`;

/** A state machine as the server registers it: the definition's text is what DescribeStateMachine returns. */
export function localMachine(name: string, definition: AslDefinition, taskHandlers: Record<string, TaskHandler> = {}): LocalStateMachine {
  return { name, definition, definitionText: JSON.stringify(definition, null, 2), taskHandlers, roleArn: ROLE_ARN };
}

/**
 * `Flow`: Pass -> Task (doubles `value`) -> Choice: over 10 -> Big (Pass), `fail: true` -> Boom
 * (Fail), else Small (Succeed).
 */
export function flowMachine(): LocalStateMachine {
  return localMachine(
    'Flow',
    {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Next: 'Double' },
        Double: { Type: 'Task', Resource: fn('double'), Next: 'Size' },
        Size: {
          Type: 'Choice',
          Choices: [
            { And: [{ Variable: '$.fail', IsPresent: true }, { Variable: '$.fail', BooleanEquals: true }], Next: 'Boom' },
            { Variable: '$.value', NumericGreaterThan: 10, Next: 'Big' },
          ],
          Default: 'Small',
        },
        Big: { Type: 'Pass', Result: 'big', ResultPath: '$.size', End: true },
        Small: { Type: 'Succeed' },
        Boom: { Type: 'Fail', Error: 'Boom', Cause: 'asked to fail' },
      },
    },
    { [fn('double')]: async (input) => ({ ...(input as Record<string, unknown>), value: Number((input as { value?: number }).value ?? 0) * 2 }) },
  );
}

/** `Gate`: one Task that waits until the test opens the gate (to keep executions RUNNING). */
export function gateMachine(): { machine: LocalStateMachine; gate: Deferred<void>; entered: () => number } {
  const gate = deferred();
  let entered = 0;
  const machine = localMachine(
    'Gate',
    { StartAt: 'Hold', States: { Hold: { Type: 'Task', Resource: fn('hold'), TimeoutSeconds: 600, End: true } } },
    {
      [fn('hold')]: async (input) => {
        entered += 1;
        await gate.promise;
        return input;
      },
    },
  );
  return { machine, gate, entered: () => entered };
}

/** An S3 client for machines that never read S3 (no emulator behind it). */
export const unusedS3 = (): S3Client => new S3Client(localS3ClientConfig('http://127.0.0.1:9'));

/** The real SDK client, pointed at the local server with dummy credentials and no retries. */
export function sfnClient(server: StepFunctionsServer): SFNClient {
  return new SFNClient({ endpoint: server.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
}

export const arnOf = stateMachineArn;

/** Starts a server for each test of the enclosing describe (`setUp` runs before each); closes it after. */
export function useServer(setUp: () => StepFunctionsServerOptions): () => { server: StepFunctionsServer; sfn: SFNClient } {
  let current: { server: StepFunctionsServer; sfn: SFNClient } | undefined;
  beforeEach(async () => {
    const server = await startStepFunctionsServer(setUp());
    current = { server, sfn: sfnClient(server) };
  });
  afterEach(async () => {
    current?.sfn.destroy();
    await current?.server.close({ drainMs: 100 });
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the server is not running: call it inside a test');
    return current;
  };
}

/**
 * useServer with the Flow and Gate machines: `gate()` is this test's Gate (released after each test),
 * `events` the status-change events delivered in this test.
 */
export function useFlowAndGateServer(): { api: ReturnType<typeof useServer>; gate: () => ReturnType<typeof gateMachine>; events: ExecutionStatusChangeEvent[] } {
  let gate = gateMachine();
  const events: ExecutionStatusChangeEvent[] = [];
  const api = useServer(() => {
    gate = gateMachine();
    events.length = 0;
    return { stateMachines: [flowMachine(), gate.machine], s3: unusedS3(), onExecutionStatusChange: async (event) => void events.push(event) };
  });
  afterEach(() => gate.gate.resolve());
  return { api, gate: () => gate, events };
}

/** Polls DescribeExecution until the execution has closed. */
export async function describeWhenClosed(sfn: SFNClient, executionArn: string, timeoutMs = 10_000): Promise<DescribeExecutionOutput> {
  return waitFor(
    async () => {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status !== 'RUNNING' && described;
    },
    { describe: `${executionArn} to close`, timeoutMs },
  );
}

/** Asserts that an SDK call failed with the given AWS error code (HTTP 400) and returns its message. */
export async function apiError(call: Promise<unknown>, code: string): Promise<string> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error(`expected the call to fail with ${code}, but it succeeded`);
  expect({ name: error.name, status: error.$metadata?.httpStatusCode }).toEqual({ name: code, status: 400 });
  return error.message;
}

/** `Callback`: one `lambda:invoke.waitForTaskToken` Task; `tokens.next()` is the token of the next waiting Task. */
export function callbackMachine(): { machine: LocalStateMachine; nextToken: () => Promise<string> } {
  const issued: Array<Deferred<string>> = [];
  let calls = 0;
  let taken = 0;
  const slot = (index: number) => (issued[index] ??= deferred<string>());
  const machine = localMachine(
    'Callback',
    {
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: fn('notify'), Payload: { 'token.$': '$$.Task.Token' } },
          HeartbeatSeconds: 600,
          End: true,
        },
      },
    },
    {
      [fn('notify')]: async (event) => {
        slot(calls++).resolve((event as { token: string }).token);
        return {};
      },
    },
  );
  return { machine, nextToken: () => slot(taken++).promise };
}
