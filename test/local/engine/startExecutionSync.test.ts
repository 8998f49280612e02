import { S3Client } from '@aws-sdk/client-s3';
import { localS3ClientConfig } from '../../../local/aws';
import {
  localNestedExecutions,
  NestedExecutionsRequiredError,
  runExecution,
  stateMachineArn,
  type AslDefinition,
  type NestedMachine,
  type TaskHandler,
} from '../../../local/engine';
import { fn, namedError, sleep } from './fixtures';

const s3 = new S3Client(localS3ClientConfig('http://127.0.0.1:9'));
afterAll(() => s3.destroy());

const SYNC_2 = 'arn:aws:states:::states:startExecution.sync:2';
const SYNC = 'arn:aws:states:::states:startExecution.sync';
const CHILD_ARN = stateMachineArn('Child');
const PARENT_ARN = 'arn:aws:states:us-east-1:000000000000:execution:Parent:p-1';

/** A parent whose one Task starts the Child machine with `{ runId, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID }` and waits. */
function parentMachine(resource: string, task: Record<string, unknown> = {}, stateMachine = CHILD_ARN): AslDefinition {
  return {
    StartAt: 'StartChild',
    States: {
      StartChild: {
        Type: 'Task',
        Resource: resource,
        Parameters: { StateMachineArn: stateMachine, Name: 'child-1', Input: { 'runId.$': '$.runId', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } },
        End: true,
        ...task,
      },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

/** The Child machine: one Task calling `work` with its whole input. */
function child(work: TaskHandler): NestedMachine {
  return {
    stateMachineName: 'Child',
    definition: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: fn('work'), End: true } } },
    taskHandlers: { [fn('work')]: work },
  };
}

const run = (definition: AslDefinition, machines: NestedMachine[]) =>
  runExecution({ definition, input: { runId: 'r-1' }, executionName: 'p-1', stateMachineName: 'Parent', s3, taskHandlers: {}, nestedExecutions: localNestedExecutions(machines, { s3 }) });

describe('arn:aws:states:::states:startExecution.sync:2', () => {
  it('runs the named state machine with Input and returns DescribeExecution of it, Input and Output as JSON', async () => {
    // GIVEN a child machine that records its input and returns a report
    const seen: unknown[] = [];
    const work: TaskHandler = async (input) => (seen.push(input), { status: 'ROLLED_BACK', batches: 2 });
    // WHEN the parent starts it .sync:2
    const outcome = await run(parentMachine(SYNC_2), [child(work)]);
    // THEN the child got the Input, linked to the parent execution
    expect(seen).toEqual([{ runId: 'r-1', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: PARENT_ARN }]);
    // AND the Task result is the child's description, as AWS's optimized integration returns it
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.output).toEqual({
      ExecutionArn: 'arn:aws:states:us-east-1:000000000000:execution:Child:child-1',
      Input: { runId: 'r-1', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: PARENT_ARN },
      InputDetails: { Included: true },
      Name: 'child-1',
      Output: { status: 'ROLLED_BACK', batches: 2 },
      OutputDetails: { Included: true },
      StartDate: expect.any(Number),
      StateMachineArn: CHILD_ARN,
      Status: 'SUCCEEDED',
      StopDate: expect.any(Number),
    });
    // (the child's own Task invocations are in its own stats, as its own execution's)
    expect(outcome.stats.taskInvocations).toEqual({ [SYNC_2]: 1 });
  });

  it('.sync (version 1) returns Input and Output as JSON text', async () => {
    const outcome = await run(parentMachine(SYNC), [child(async () => ({ done: true }))]);
    expect(outcome.output).toMatchObject({ Input: JSON.stringify({ runId: 'r-1', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: PARENT_ARN }), Output: '{"done":true}', Status: 'SUCCEEDED' });
  });

  it('fails the Task with States.TaskFailed when the child fails, its description with Error and Cause as the Cause, for Catch', async () => {
    // GIVEN a child that fails, and a parent catching States.TaskFailed
    const definition = parentMachine(SYNC_2, { Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Caught' }] });
    // WHEN the parent runs
    const outcome = await run(definition, [child(async () => Promise.reject(namedError('SnapshotsUnusableError', 'batch b1 has no snapshot')))]);
    // THEN the Catch got States.TaskFailed with the child's description, failed, as Cause
    expect(outcome.status).toBe('SUCCEEDED');
    const error = (outcome.output as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('States.TaskFailed');
    expect(JSON.parse(error.Cause)).toEqual({
      ExecutionArn: 'arn:aws:states:us-east-1:000000000000:execution:Child:child-1',
      Input: { runId: 'r-1', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: PARENT_ARN },
      InputDetails: { Included: true },
      Name: 'child-1',
      StartDate: expect.any(Number),
      StateMachineArn: CHILD_ARN,
      Status: 'FAILED',
      StopDate: expect.any(Number),
      Error: 'SnapshotsUnusableError',
      Cause: 'batch b1 has no snapshot',
    });
  });

  it('fails the parent with States.TaskFailed when nothing catches the child failure', async () => {
    const outcome = await run(parentMachine(SYNC_2), [child(async () => Promise.reject(namedError('Boom', 'no')))]);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(outcome.cause!)).toMatchObject({ Status: 'FAILED', Error: 'Boom', Cause: 'no' });
  });

  it('stops the child when the parent is stopped', async () => {
    // GIVEN a child whose Task takes a while (it settles later, so that the package's Task timer ends)
    let started!: () => void;
    const childStarted = new Promise<void>((resolve) => (started = resolve));
    const ends: string[] = [];
    const nested = localNestedExecutions([child(() => (started(), sleep(300).then(() => ({ finished: true }))))], { s3 });
    const stopping = new AbortController();
    const observed = { run: async (request: Parameters<typeof nested.run>[0]) => { const end = await nested.run(request); ends.push(end.status); return end; } };
    // WHEN the parent is stopped while the child runs
    const parent = runExecution({ definition: parentMachine(SYNC_2), input: { runId: 'r-1' }, executionName: 'p-1', s3, taskHandlers: {}, nestedExecutions: observed, signal: stopping.signal });
    await childStarted;
    stopping.abort();
    // THEN both end ABORTED
    expect((await parent).status).toBe('ABORTED');
    for (let i = 0; i < 100 && ends.length === 0; i++) await sleep(10);
    expect(ends).toEqual(['ABORTED']);
  });

  it('fails with StepFunctions.StateMachineDoesNotExistException for a state machine that is not there', async () => {
    const outcome = await run(parentMachine(SYNC_2, {}, stateMachineArn('Nope')), [child(async () => ({}))]);
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'StepFunctions.StateMachineDoesNotExistException' });
    expect(outcome.cause).toContain(stateMachineArn('Nope'));
  });

  it('refuses, before anything runs, a definition with such a Task when runExecution got no nestedExecutions', async () => {
    const refused = runExecution({ definition: parentMachine(SYNC_2), input: {}, executionName: 'p-1', s3, taskHandlers: {} });
    await expect(refused).rejects.toThrow(NestedExecutionsRequiredError);
    await expect(refused).rejects.toThrow(/State StartChild starts a nested execution/);
  });
});
