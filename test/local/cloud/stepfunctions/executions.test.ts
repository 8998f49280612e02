import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { apiError, arnOf, describeWhenClosed, useFlowAndGateServer } from './fixtures';

const FLOW = arnOf('Flow');
const GATE = arnOf('Gate');

describe('the local Step Functions API: executions', () => {
  const { api } = useFlowAndGateServer();

  describe('StartExecution and DescribeExecution', () => {
    it('runs a Pass/Task/Choice machine to SUCCEEDED and describes it with its input and output', async () => {
      // GIVEN the Flow machine
      const { sfn } = api();
      // WHEN an execution starts with value 7 (doubled to 14: the Big branch)
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'big-one', input: '{"value":7}' }));
      // THEN it succeeds with the Task's and the Pass state's output
      expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:Flow:big-one');
      expect(started.startDate).toBeInstanceOf(Date);
      const described = await describeWhenClosed(sfn, started.executionArn!);
      expect(described).toMatchObject({
        executionArn: started.executionArn,
        stateMachineArn: FLOW,
        name: 'big-one',
        status: 'SUCCEEDED',
        input: '{"value":7}',
        inputDetails: { included: true },
        outputDetails: { included: true },
        redriveCount: 0,
        startDate: started.startDate,
      });
      expect(JSON.parse(described.output!)).toEqual({ value: 14, size: 'big' });
      expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(started.startDate!.getTime());
      // AND METADATA_ONLY leaves the input and output out
      const metadata = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn, includedData: 'METADATA_ONLY' }));
      expect([metadata.status, metadata.input, metadata.output]).toEqual(['SUCCEEDED', undefined, undefined]);
    });

    it('ends FAILED with the Fail state\'s error and cause', async () => {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: '{"value":1,"fail":true}' }));
      expect(await describeWhenClosed(sfn, executionArn!)).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'asked to fail' });
    });

    it('names an execution with a UUID when no name is given, and takes {} as the input when none is given', async () => {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW }));
      const described = await describeWhenClosed(sfn, executionArn!);
      expect(described.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(described.input).toBe('{}');
    });

    it('is idempotent as on AWS: the same name and input while open give the same execution', async () => {
      // GIVEN a running execution
      const { sfn } = api();
      const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'once', input: '{"a":1}' }));
      // WHEN it is started again with the same name and input
      const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'once', input: '{"a":1}' }));
      // THEN the answer is the same execution, and nothing ran twice
      expect(again.executionArn).toBe(first.executionArn);
      expect(again.startDate).toEqual(first.startDate);
      const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: GATE }));
      expect(listed.executions).toHaveLength(1);
    });

    it('refuses the name of an open execution with another input: ExecutionAlreadyExists', async () => {
      const { sfn } = api();
      await sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'once', input: '{"a":1}' }));
      const message = await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: GATE, name: 'once', input: '{"a":2}' })), 'ExecutionAlreadyExists');
      expect(message).toContain('execution:Gate:once');
      expect(message).toContain('another input');
    });

    it('refuses the name of a closed execution even with the same input: ExecutionAlreadyExists', async () => {
      const { sfn } = api();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'done', input: '{"value":1}' }));
      await describeWhenClosed(sfn, executionArn!);
      const message = await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: 'done', input: '{"value":1}' })), 'ExecutionAlreadyExists');
      expect(message).toContain('SUCCEEDED');
    });

    it('refuses a malformed state machine ARN (InvalidArn) and an unknown one (StateMachineDoesNotExist)', async () => {
      const { sfn } = api();
      expect(await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: 'Flow' })), 'InvalidArn')).toContain('"Flow"');
      expect(await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Flow').replace('stateMachine', 'activity') })), 'InvalidArn')).toContain('stateMachine');
      const message = await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Nope') })), 'StateMachineDoesNotExist');
      expect(message).toContain(arnOf('Nope'));
      expect(message).toContain(FLOW);
    });

    it.each([
      ['empty', ''],
      ['81 characters', 'x'.repeat(81)],
      ['a space', 'a b'],
      ['a tab', 'a\tb'],
      ['a control character', 'a\u0001b'],
      ['a DEL-range control character', 'a\u0085b'],
      ...[...'<>{}[]?*"#%\\^|~`$&,;:/'].map((char) => [`"${char}"`, `a${char}b`]),
    ])('refuses an execution name with %s: InvalidName', async (_what, name) => {
      const { sfn } = api();
      const message = await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name })), 'InvalidName');
      expect(message).toContain('Invalid Name');
    });

    it('accepts a name of 80 characters with letters, digits, "-", "_" and "."', async () => {
      const { sfn } = api();
      const name = `${'a'.repeat(70)}-_.Z09876`;
      expect(name).toHaveLength(79);
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, name: `${name}x` }));
      expect(executionArn).toContain(`:${name}x`);
    });

    it('refuses an input that is not JSON or is over 256 KiB: InvalidExecutionInput', async () => {
      const { sfn } = api();
      expect(await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: '{value: 1}' })), 'InvalidExecutionInput')).toContain('not JSON');
      const big = JSON.stringify({ text: 'é'.repeat(131_072) });
      expect(await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: big })), 'InvalidExecutionInput')).toContain(`${Buffer.byteLength(big)} UTF-8 bytes`);
    });

    it('refuses a request without stateMachineArn or with a field of the wrong type: ValidationException naming the field', async () => {
      const { sfn } = api();
      expect(await apiError(sfn.send(new StartExecutionCommand({} as never)), 'ValidationException')).toContain('stateMachineArn');
      expect(await apiError(sfn.send(new StartExecutionCommand({ stateMachineArn: FLOW, input: 42 } as never)), 'ValidationException')).toContain('input');
    });

    it('answers DescribeExecution for a malformed ARN with InvalidArn and for an unknown one with ExecutionDoesNotExist', async () => {
      const { sfn } = api();
      await apiError(sfn.send(new DescribeExecutionCommand({ executionArn: FLOW })), 'InvalidArn');
      const unknown = 'arn:aws:states:us-east-1:000000000000:execution:Flow:never-started';
      expect(await apiError(sfn.send(new DescribeExecutionCommand({ executionArn: unknown })), 'ExecutionDoesNotExist')).toContain(unknown);
    });
  });
});
