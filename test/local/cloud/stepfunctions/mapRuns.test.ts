import { DescribeMapRunCommand, ListMapRunsCommand, StartExecutionCommand, UpdateMapRunCommand } from '@aws-sdk/client-sfn';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../../../local/cloud/stepfunctions';
import type { TaskHandler } from '../../../../local/engine';
import { deferred, type Deferred } from '../../../support';
import { processor, startS3Fixture, type S3Fixture } from '../../engine/fixtures';
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
