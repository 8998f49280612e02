import { NestedExecutionsRequiredError, StatesError, UnsupportedDefinitionError, statesRuntimeError } from '../errors';
import type { AslState, NestedExecutionEnd, NestedExecutions } from '../types';
import type { StatsCollector } from '../StatsCollector';
import type { PreparedTask } from './PreparedTask';

/** The optimized Step Functions integration, Run a Job pattern: `.sync` answers with strings, `.sync:2` with parsed JSON. */
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync';
export const START_EXECUTION_SYNC_2 = `${START_EXECUTION_SYNC}:2`;
// Waiting is the nested execution's business: without TimeoutSeconds the Task waits as long as it runs
// (AWS: up to the execution's one-year limit), so the package's own 60 s default must never decide.
const PACKAGE_TIMEOUT_SECONDS = 2_147_483;
const REFUSED_FIELDS = ['TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'];

/** What a `.sync` Task needs from its execution. */
export interface SyncTaskDependencies {
  readonly stats: Pick<StatsCollector, 'taskInvoked'>;
  readonly nestedExecutions?: NestedExecutions;
  /** Aborted when the parent execution stops or ends: the nested execution is stopped with it. */
  readonly signal?: AbortSignal;
}

/** Whether `resource` is `states:startExecution.sync` or `.sync:2`. */
export const isStartExecutionSync = (resource: string): boolean => resource === START_EXECUTION_SYNC || resource === START_EXECUTION_SYNC_2;

/**
 * `arn:aws:states:::states:startExecution.sync(:2)`: starts `Parameters.StateMachineArn` with
 * `Input` (an object, or a JSON text) and the optional `Name` through `nestedExecutions`, waits
 * for it to end and returns what DescribeExecution says of it, as AWS's optimized integration does
 * (ExecutionArn, Input, InputDetails, Name, Output, OutputDetails, StartDate, StateMachineArn,
 * Status, StopDate; dates in epoch milliseconds). `.sync:2` gives Input and Output as JSON,
 * `.sync` as JSON text. A nested execution that does not succeed fails the Task with
 * `States.TaskFailed` and that description (with its Error and Cause) as the Cause, as on AWS.
 * Stopping the parent stops the nested execution.
 */
export function prepareStartExecutionSync(statePath: string, state: AslState, deps: SyncTaskDependencies): PreparedTask {
  const parsedOutput = state.Resource === START_EXECUTION_SYNC_2;
  const refused = REFUSED_FIELDS.find((field) => state[field] !== undefined);
  if (refused) throw new UnsupportedDefinitionError(statePath, `${refused} on ${String(state.Resource)} is not emulated; use TimeoutSeconds`);
  const parameters = state.Parameters as Record<string, unknown> | undefined;
  if (parameters === null || typeof parameters !== 'object' || (typeof parameters.StateMachineArn !== 'string' && typeof parameters['StateMachineArn.$'] !== 'string')) {
    throw new UnsupportedDefinitionError(statePath, `${String(state.Resource)} needs Parameters with StateMachineArn (or StateMachineArn.$)`);
  }
  const nested = deps.nestedExecutions;
  if (!nested) throw new NestedExecutionsRequiredError(statePath);

  const handler = async (resolved: unknown): Promise<unknown> => {
    deps.stats.taskInvoked(String(state.Resource));
    const request = startRequest(resolved);
    const end = await nested.run({ ...request, signal: deps.signal ?? new AbortController().signal });
    const description = describeExecution(end, parsedOutput);
    if (end.status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify({ ...description, ...(end.error !== undefined ? { Error: end.error } : {}), ...(end.cause !== undefined ? { Cause: end.cause } : {}) }));
    return description;
  };
  const timeout = typeof state.TimeoutSeconds === 'number' ? {} : { TimeoutSeconds: PACKAGE_TIMEOUT_SECONDS };
  return { state: { ...state, ...timeout }, handler, missing: [] };
}

/** StartExecution's request from the resolved Parameters; a bad value is `States.Runtime`, as a bad path would be. */
function startRequest(resolved: unknown): { stateMachineArn: string; input: unknown; name?: string } {
  const { StateMachineArn: stateMachineArn, Input: input, Name: name } = (resolved ?? {}) as Record<string, unknown>;
  if (typeof stateMachineArn !== 'string') throw statesRuntimeError(`Parameters.StateMachineArn must resolve to a string, got ${JSON.stringify(stateMachineArn)}`);
  if (name !== undefined && typeof name !== 'string') throw statesRuntimeError(`Parameters.Name must resolve to a string, got ${JSON.stringify(name)}`);
  let parsedInput: unknown = input ?? {};
  if (typeof input === 'string') {
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new StatesError('StepFunctions.InvalidExecutionInputException', `Parameters.Input is a string that is not JSON: ${input.slice(0, 200)}`);
    }
  }
  return { stateMachineArn, input: parsedInput, ...(name !== undefined ? { name } : {}) };
}

/** DescribeExecution of the ended nested execution, as the optimized integration returns it. */
function describeExecution(end: NestedExecutionEnd, parsedOutput: boolean): Record<string, unknown> {
  const asReturned = (value: unknown): unknown => (parsedOutput ? value : JSON.stringify(value));
  return {
    ExecutionArn: end.executionArn,
    Input: asReturned(end.input),
    InputDetails: { Included: true },
    Name: end.name,
    ...(end.status === 'SUCCEEDED' ? { Output: asReturned(end.output ?? null), OutputDetails: { Included: true } } : {}),
    StartDate: end.startDate.getTime(),
    StateMachineArn: end.stateMachineArn,
    Status: end.status,
    StopDate: end.stopDate.getTime(),
  };
}
