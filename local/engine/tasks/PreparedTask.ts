import type { MissingHandler } from '../errors';
import type { StatsCollector } from '../StatsCollector';
import type { ExecutionTokens } from '../tokens/TaskTokens';
import type { AslState, NestedExecutions, TaskHandler } from '../types';
import type { HistoryAwareHandler } from '../history/withTaskHistory';

/** What an integration Task (lambda:invoke, .waitForTaskToken) needs from the execution. */
export interface IntegrationDependencies {
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  readonly stats: StatsCollector;
  /** The execution's token scope; absent when runExecution got no `taskTokens`. */
  readonly taskTokens?: ExecutionTokens;
  /** Runs the nested executions of `states:startExecution.sync` Tasks; absent when runExecution got none. */
  readonly nestedExecutions?: NestedExecutions;
  /** Aborted when the execution stops or ends. */
  readonly signal?: AbortSignal;
}

/** A Task state as aws-local-stepfunctions will run it, its local handler, and the handlers it lacks. */
export interface PreparedTask {
  readonly state: AslState;
  readonly handler: HistoryAwareHandler;
  readonly missing: readonly MissingHandler[];
  /** The handler records its own TaskScheduled (it knows the parameters only once it has a token). */
  readonly schedulesItself?: boolean;
}

/** Whether `taskHandlers` has a function under this resource ARN or function name. */
export function hasTaskHandler(deps: IntegrationDependencies, key: string): boolean {
  return Object.hasOwn(deps.taskHandlers, key) && typeof deps.taskHandlers[key] === 'function';
}
