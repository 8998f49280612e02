import { randomUUID } from 'node:crypto';
import { executionArn, stateMachineArn } from './arns';
import { StatesError } from './errors';
import { runExecution } from './runExecution';
import type { AslDefinition, NestedExecutionEnd, NestedExecutions, RunExecutionOptions, TaskHandler } from './types';

/** One state machine a nested execution may start: its name (its ARN is the local one) and what runs it. */
export interface NestedMachine {
  readonly stateMachineName: string;
  readonly definition: AslDefinition;
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
}

/** What every nested execution shares with its parent (S3, task tokens, retry overrides). */
export type NestedExecutionOptions = Pick<RunExecutionOptions, 's3' | 'taskTokens' | 'retryIntervalOverrides'>;

/**
 * Runs the nested executions of `states:startExecution.sync` Tasks on this engine: the state
 * machine whose local ARN the Task names, with its own handlers, stopped when its parent stops.
 * Nested executions may start nested executions of their own.
 * @example
 *   const nestedExecutions = localNestedExecutions([{ stateMachineName: 'Rollback', definition, taskHandlers }], { s3 });
 *   await runExecution({ definition: backfill, input, executionName, taskHandlers, s3, nestedExecutions });
 */
export function localNestedExecutions(machines: readonly NestedMachine[], options: NestedExecutionOptions): NestedExecutions {
  const byArn = new Map(machines.map((machine) => [stateMachineArn(machine.stateMachineName), machine]));
  const nested: NestedExecutions = {
    async run(request): Promise<NestedExecutionEnd> {
      const machine = byArn.get(request.stateMachineArn);
      if (!machine) {
        // What StartExecution answers for an unknown ARN, named as the optimized integration names it.
        throw new StatesError('StepFunctions.StateMachineDoesNotExistException', `State Machine Does Not Exist: '${request.stateMachineArn}' (local state machines: ${[...byArn.keys()].join(', ')})`);
      }
      const name = request.name ?? randomUUID();
      const startDate = new Date();
      const outcome = await runExecution({
        ...options,
        definition: machine.definition,
        input: request.input,
        executionName: name,
        stateMachineName: machine.stateMachineName,
        taskHandlers: machine.taskHandlers,
        signal: request.signal,
        nestedExecutions: nested,
      });
      return {
        executionArn: executionArn(machine.stateMachineName, name),
        stateMachineArn: request.stateMachineArn,
        name,
        status: outcome.status,
        startDate,
        stopDate: new Date(),
        input: request.input,
        ...(outcome.status === 'SUCCEEDED' ? { output: outcome.output } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
      };
    },
  };
  return nested;
}
