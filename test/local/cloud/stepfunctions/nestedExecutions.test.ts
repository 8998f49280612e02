import { ListExecutionsCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { waitFor } from '../../../support';
import { arnOf, describeWhenClosed, flowMachine, gateMachine, localMachine, unusedS3, useServer } from './fixtures';

const SYNC_2 = 'arn:aws:states:::states:startExecution.sync:2';

/** `Parent`: starts `child` (.sync:2) with `{ value, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID }` and keeps its Output. */
function parentMachine(child: string) {
  return localMachine('Parent', {
    StartAt: 'StartChild',
    States: {
      StartChild: {
        Type: 'Task',
        Resource: SYNC_2,
        Parameters: { StateMachineArn: arnOf(child), Input: { 'value.$': '$.value', 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$': '$$.Execution.Id' } },
        ResultSelector: { 'childArn.$': '$.ExecutionArn', 'childOutput.$': '$.Output' },
        End: true,
      },
    },
  });
}

describe('the local Step Functions API: startExecution.sync:2 starts its own execution of the named machine', () => {
  let gate = gateMachine();
  const api = useServer(() => {
    gate = gateMachine();
    return { stateMachines: [flowMachine(), gate.machine, parentMachine('Flow'), { ...parentMachine('Gate'), name: 'GateParent' }], s3: unusedS3() };
  });
  afterEach(() => gate.gate.resolve());

  it('runs the child as an execution ListExecutions lists and DescribeExecution describes, and returns its output', async () => {
    // GIVEN a parent that starts the Flow machine
    const { sfn } = api();
    // WHEN the parent runs
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Parent'), name: 'p-1', input: '{"value":7}' }));
    const parent = await describeWhenClosed(sfn, executionArn!);
    // THEN it succeeded with the child's output
    expect(parent.status).toBe('SUCCEEDED');
    const { childArn, childOutput } = JSON.parse(parent.output!) as { childArn: string; childOutput: unknown };
    expect(childOutput).toEqual({ value: 14, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionArn, size: 'big' });
    // AND the child is an execution of Flow on the server, with the input the parent gave it
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arnOf('Flow') }));
    expect(listed.executions?.map((e) => [e.executionArn, e.status])).toEqual([[childArn, 'SUCCEEDED']]);
    expect(JSON.parse((await describeWhenClosed(sfn, childArn)).input!)).toEqual({ value: 7, AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionArn });
  });

  it('stops the child when the parent is stopped', async () => {
    const { sfn } = api();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('GateParent'), name: 'p-2', input: '{"value":1}' }));
    // GIVEN the child waits at the gate
    const child = await waitFor(
      async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arnOf('Gate') }))).executions?.[0]?.executionArn,
      { describe: 'the child execution to start', timeoutMs: 5_000 },
    );
    await waitFor(async () => gate.entered() === 1, { describe: 'the child to reach its Task', timeoutMs: 5_000 });
    // WHEN the parent is stopped
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'StoppedByOperator', cause: 'test' }));
    // THEN the child is stopped too
    expect((await describeWhenClosed(sfn, executionArn!)).status).toBe('ABORTED');
    expect((await describeWhenClosed(sfn, child)).status).toBe('ABORTED');
  });
});
