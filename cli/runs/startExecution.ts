import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ExecutionNameTakenError } from '../errors';
import { executionArnOf } from './executionOfRun';

/**
 * StartExecution; the same name and input while that execution is open returns it (Step Functions'
 * own idempotency).
 * @throws ExecutionNameTakenError (with the existing execution's status) on ExecutionAlreadyExists
 * @example
 *   const { executionArn } = await startExecution(sfn, { stateMachineArn, name: 'r1', input: { ... } });
 */
export async function startExecution(sfn: SFNClient, request: { stateMachineArn: string; name?: string; input: unknown }): Promise<{ executionArn: string }> {
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: request.stateMachineArn, name: request.name, input: JSON.stringify(request.input) }));
    return { executionArn: started.executionArn! };
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists' || request.name === undefined) throw error;
    const existing = await sfn
      .send(new DescribeExecutionCommand({ executionArn: executionArnOf(request.stateMachineArn, request.name) }))
      .then((d) => `status ${d.status}, started ${d.startDate?.toISOString()}`)
      .catch(() => 'status unknown');
    throw new ExecutionNameTakenError(request.name, existing, { cause: error });
  }
}

/**
 * Starts an execution under the first free name `nameFor(n)`, n = first, first+1, …: resumes and
 * rollbacks of a run each need a new name.
 * @example
 *   await startUnderFreeName(sfn, { stateMachineArn, input, nameFor: (n) => `r1-r${n}`, first: 2 }); // { name: 'r1-r2', … }
 */
export async function startUnderFreeName(
  sfn: SFNClient,
  request: { stateMachineArn: string; input: unknown; nameFor: (n: number) => string; first: number },
): Promise<{ executionArn: string; name: string }> {
  for (let n = request.first; ; n += 1) {
    const name = request.nameFor(n);
    try {
      return { ...(await startExecution(sfn, { stateMachineArn: request.stateMachineArn, name, input: request.input })), name };
    } catch (error) {
      if (!(error instanceof ExecutionNameTakenError) || n - request.first >= 50) throw error;
    }
  }
}
