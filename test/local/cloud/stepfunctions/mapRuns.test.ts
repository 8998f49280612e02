import { DescribeMapRunCommand, ListMapRunsCommand, StartExecutionCommand, UpdateMapRunCommand } from '@aws-sdk/client-sfn';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../../../local/cloud/stepfunctions';
import type { TaskHandler } from '../../../../local/engine';
import { deferred, waitFor, type Deferred } from '../../../support';
import { processor, startS3Fixture, type S3Fixture } from '../../engine/fixtures';
import { outputProblems } from './botocoreShapes';
import { apiError, arnOf, fn, localMachine, sfnClient } from './fixtures';

const ITEMS = 6;

/** Children that each wait until the test releases them, counting how many run at once. */
function heldChildren(): { handler: TaskHandler; running: () => number; started: () => number; releaseOne(): void; releaseAll(): void } {
  const waiting: Array<Deferred<void>> = [];
  let running = 0;
  let started = 0;
  let releasedAll = false;
  return {
    handler: async (input) => {
      started += 1;
      running += 1;
      const turn = deferred();
      waiting.push(turn);
      if (releasedAll) turn.resolve();
      await turn.promise;
      running -= 1;
      return input;
    },
    running: () => running,
    started: () => started,
    releaseOne: () => waiting.find((turn) => !turn.settled)?.resolve(),
    releaseAll: () => {
      releasedAll = true;
      for (const turn of waiting) turn.resolve();
    },
  };
}

/** `Fan`: a distributed Map over the 6 items of items.jsonl, MaxConcurrency 1, each child one held Task. */
function fanMachine(children: ReturnType<typeof heldChildren>) {
  return localMachine(
    'Fan',
    {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'map-runs', Key: 'items.jsonl' } },
          ItemProcessor: processor(fn('work')),
          MaxConcurrency: 1,
          End: true,
        },
      },
    },
    { [fn('work')]: (input) => children.handler(input) },
  );
}

describe('the local Step Functions API: ListMapRuns, DescribeMapRun, UpdateMapRun', () => {
  let s3: S3Fixture;
  let server: StepFunctionsServer;
  let children: ReturnType<typeof heldChildren>;
  beforeAll(async () => {
    s3 = await startS3Fixture('map-runs');
    await s3.putText('items.jsonl', Array.from({ length: ITEMS }, (_, index) => JSON.stringify({ n: index })).join('\n'));
  }, 60_000);
  afterAll(async () => s3.close());
  beforeEach(async () => {
    children = heldChildren();
    server = await startStepFunctionsServer({ stateMachines: [fanMachine(children)], s3: s3.s3 });
  });
  afterEach(async () => {
    children.releaseAll();
    await server.close({ drainMs: 1_000 });
  });

  const raw = async (operation: string, body: object): Promise<Record<string, unknown>> => {
    const response = await fetch(server.endpoint, { method: 'POST', headers: { 'X-Amz-Target': `AWSStepFunctions.${operation}` }, body: JSON.stringify(body) });
    const answer = (await response.json()) as Record<string, unknown>;
    expect([operation, response.status, outputProblems(operation, answer)]).toEqual([operation, 200, []]);
    return answer;
  };

  it('lists and describes a running Map Run, and a raised MaxConcurrency starts more children before the next start', async () => {
    // GIVEN a distributed Map over 6 items with MaxConcurrency 1, its first child waiting
    const sfn = sfnClient(server);
    try {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Fan'), name: 'fan-1' }));
      await waitFor(() => children.running() === 1, { describe: 'the first child to run' });
      // WHEN it is listed and described
      const { mapRuns } = await sfn.send(new ListMapRunsCommand({ executionArn }));
      expect(mapRuns).toEqual([
        expect.objectContaining({ executionArn, mapRunArn: expect.stringMatching(/:mapRun:Fan\/Fan:/), stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Fan/Fan', startDate: expect.any(Date) }),
      ]);
      const mapRunArn = mapRuns![0].mapRunArn!;
      const running = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      // THEN it is RUNNING with one child in flight
      expect(running).toMatchObject({ mapRunArn, executionArn, status: 'RUNNING', maxConcurrency: 1, itemCounts: { total: ITEMS }, executionCounts: { running: 1 } });
      expect(children.started()).toBe(1);
      await raw('ListMapRuns', { executionArn });
      await raw('DescribeMapRun', { mapRunArn });
      // WHEN MaxConcurrency is raised to 3 and the first child finishes
      await raw('UpdateMapRun', { mapRunArn, maxConcurrency: 3, toleratedFailureCount: 2 });
      children.releaseOne();
      // THEN three children run at once, and the Map Run says so
      await waitFor(() => children.running() === 3, { describe: 'three children to run at once' });
      expect(await sfn.send(new DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ maxConcurrency: 3, toleratedFailureCount: 2 });
      // AND values AWS refuses are refused
      await apiError(sfn.send(new UpdateMapRunCommand({ mapRunArn, toleratedFailurePercentage: 101 })), 'ValidationException');
      await apiError(sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: -1 })), 'ValidationException');
      await apiError(sfn.send(new UpdateMapRunCommand({ mapRunArn })), 'ValidationException');
      // WHEN every child is let go
      children.releaseAll();
      expect(await server.waitForExecution(executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
      // THEN the Map Run ended SUCCEEDED, and can no longer be changed
      const ended = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect(ended).toMatchObject({ status: 'SUCCEEDED', stopDate: expect.any(Date), executionCounts: { succeeded: ITEMS, running: 0 } });
      await raw('DescribeMapRun', { mapRunArn });
      const { events } = (await raw('GetExecutionHistory', { executionArn })) as { events: Array<{ type: string; mapRunStartedEventDetails?: unknown }> };
      expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['MapStateEntered', 'MapRunStarted', 'MapRunSucceeded', 'MapStateExited']));
      expect(events.find((event) => event.type === 'MapRunStarted')?.mapRunStartedEventDetails).toEqual({ mapRunArn });
      expect(await apiError(sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 2 })), 'ValidationException')).toBeTruthy();
    } finally {
      sfn.destroy();
    }
  });

  it('passes the engine\'s Map Run progress events to onEngineEvent with the execution\'s ARN', async () => {
    await server.close({ drainMs: 10 });
    const seen: Array<[string, string]> = [];
    server = await startStepFunctionsServer({ stateMachines: [fanMachine(children)], s3: s3.s3, onEngineEvent: (executionArn, event) => void seen.push([executionArn, event.kind]) });
    const sfn = sfnClient(server);
    try {
      children.releaseAll();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Fan'), name: 'fan-events' }));
      expect(await server.waitForExecution(executionArn!)).toMatchObject({ status: 'SUCCEEDED' });
      expect(seen[0]).toEqual([executionArn, 'map-run-started']);
      expect(seen.filter(([, kind]) => kind === 'child-succeeded')).toHaveLength(ITEMS);
      expect(seen.at(-1)).toEqual([executionArn, 'map-run-finished']);
    } finally {
      sfn.destroy();
    }
  });

  it('answers an unknown Map Run with ResourceNotFound, a malformed ARN with InvalidArn, an unknown execution with ExecutionDoesNotExist', async () => {
    const sfn = sfnClient(server);
    try {
      const unknown = 'arn:aws:states:us-east-1:000000000000:mapRun:Fan/Fan:00000000-0000-0000-0000-000000000000';
      expect(await apiError(sfn.send(new DescribeMapRunCommand({ mapRunArn: unknown })), 'ResourceNotFound')).toContain(unknown);
      await apiError(sfn.send(new UpdateMapRunCommand({ mapRunArn: unknown, maxConcurrency: 2 })), 'ResourceNotFound');
      await apiError(sfn.send(new DescribeMapRunCommand({ mapRunArn: arnOf('Fan') })), 'InvalidArn');
      await apiError(sfn.send(new ListMapRunsCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:Fan:none' })), 'ExecutionDoesNotExist');
    } finally {
      sfn.destroy();
    }
  });
});
