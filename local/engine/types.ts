import type { S3Client } from '@aws-sdk/client-s3';
import type { TaskTokens } from './tokens/TaskTokens';

/** One state of an ASL definition; fields are read by name where the engine needs them. */
export interface AslState {
  readonly Type: string;
  readonly [field: string]: unknown;
}

/** A JSONPath ASL state machine (or an ItemProcessor / Parallel branch) as parsed from JSON. */
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
  readonly Comment?: string;
  readonly TimeoutSeconds?: number;
  readonly [field: string]: unknown;
}

/**
 * The local stand-in for one Task resource (a Lambda function ARN, `arn:aws:states:::...`).
 * It gets the state's resolved `Parameters` (or its effective input) and returns the raw result:
 * return `{ Payload }` yourself where the ASL selects `$.Payload`. A thrown error fails the Task
 * with the error's `name` as ASL error name and its `message` as Cause.
 */
export type TaskHandler = (input: unknown) => Promise<unknown>;

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export type ChildExecutionType = 'EXPRESS' | 'STANDARD';

/** Where the largest state payload was seen. */
export interface PayloadLocation {
  readonly stateName: string;
  /** `parent`, or the child execution name (a Map Run child) that ran the state. */
  readonly executionName: string;
  readonly direction: 'input' | 'output';
}

export interface ChildExecutionStats {
  readonly started: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Stopped because the parent execution was aborted. */
  readonly aborted: number;
  /** Sum of each child's wall-clock duration (start to stop), in milliseconds. */
  readonly durationMs: number;
  /** StateEntered + StateRetried events inside these children (the same rule as the parent's). */
  readonly stateTransitions: number;
}

/** What one distributed Map state did (one entry per Map Run, including re-runs by Retry). */
export interface MapRunSummary {
  readonly stateName: string;
  readonly mapRunArn: string;
  readonly executionType: ChildExecutionType;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly itemCount: number;
  readonly batchCount: number;
  readonly maxConcurrency: number;
  readonly childrenSucceeded: number;
  readonly childrenFailed: number;
  /** Items in failed children: with ItemBatcher every item of a failed batch counts as failed. */
  readonly failedItems: number;
  /** Children never started because the Map Run failed or the execution was aborted. */
  readonly childrenNotStarted: number;
  /** `s3://bucket/key` of manifest.json when the Map has a ResultWriter. */
  readonly resultManifest?: string;
}

export interface ExecutionStats {
  /**
   * Billable state transitions of the parent execution: one per `StateEntered` event plus one per
   * `StateRetried` event (AWS bills retries as transitions). Includes states inside inline Map
   * iterations and Parallel branches; excludes distributed-Map children (see `childExecutions`).
   */
  readonly stateTransitions: number;
  readonly childExecutions: Readonly<Record<ChildExecutionType, ChildExecutionStats>>;
  /** Handler invocations per Task resource, retries included, parent and children together. */
  readonly taskInvocations: Readonly<Record<string, number>>;
  /** Largest UTF-8 size of `JSON.stringify` of any state's input or output, parent or child. */
  readonly maxPayloadBytes: number;
  readonly maxPayloadAt?: PayloadLocation;
  readonly mapRuns: readonly MapRunSummary[];
}

export interface ExecutionOutcome {
  readonly status: ExecutionStatus;
  /** The execution's output when SUCCEEDED. */
  readonly output?: unknown;
  /** ASL error name when FAILED (`States.Timeout` when TIMED_OUT). */
  readonly error?: string;
  readonly cause?: string;
  readonly stats: ExecutionStats;
}

/** Progress of one Map Run at the time of an event. */
export interface MapRunProgress {
  readonly totalItems: number;
  readonly totalChildren: number;
  readonly started: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly failedItems: number;
}

interface MapRunEventBase {
  readonly stateName: string;
  readonly mapRunArn: string;
  readonly progress: MapRunProgress;
}

/** Progress events, delivered synchronously; the callback must not throw (if it does, the run stops with an engine error). */
export type EngineEvent =
  | (MapRunEventBase & { readonly kind: 'map-run-started'; readonly executionType: ChildExecutionType; readonly maxConcurrency: number })
  | (MapRunEventBase & { readonly kind: 'child-succeeded'; readonly childIndex: number; readonly itemCount: number })
  | (MapRunEventBase & {
      readonly kind: 'child-failed';
      readonly childIndex: number;
      readonly itemCount: number;
      readonly error: string;
      readonly cause: string;
    })
  | (MapRunEventBase & { readonly kind: 'map-run-finished'; readonly status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' });

export interface RunExecutionOptions {
  /** The parsed definition, placeholders already substituted (see `loadDefinition`). */
  readonly definition: AslDefinition;
  /** The execution input (must be JSON). */
  readonly input: unknown;
  /** `$$.Execution.Name`; `$$.Execution.Id` is the matching execution ARN. */
  readonly executionName: string;
  /** Used in the execution, Map Run and child ARNs. @default 'LocalStateMachine' */
  readonly stateMachineName?: string;
  /** One handler per Task resource ARN (after substitution), for the parent and every child. */
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  /** Reads ItemReader objects and writes ResultWriter files. Point it at s3rver locally. */
  readonly s3: S3Client;
  /**
   * Milliseconds to wait before each retry, by state name (see aws-local-stepfunctions'
   * `retryIntervalOverrides`); applied to the parent and to every child.
   * @default - the intervals the Retry fields declare
   */
  readonly retryIntervalOverrides?: Readonly<Record<string, number | readonly number[]>>;
  /** Progress callback for Map Runs. @default - no events */
  readonly onEvent?: (event: EngineEvent) => void;
  /** Aborts the execution: no new children start, running ones are aborted; the outcome is ABORTED. */
  readonly signal?: AbortSignal;
  /**
   * Issues and answers the task tokens of `.waitForTaskToken` Tasks (SendTaskSuccess / SendTaskFailure /
   * SendTaskHeartbeat); share one between executions. Required when the definition has such a Task.
   * @default - none: a definition with a `.waitForTaskToken` Task is refused (TaskTokensRequiredError)
   */
  readonly taskTokens?: TaskTokens;
  /**
   * Receives the execution's history as AWS's GetExecutionHistory would list it, in order, between
   * ExecutionStarted and the closing Execution* event (the caller records those two itself):
   * `TaskStateEntered`/`ChoiceStateEntered`/`MapStateEntered`..., `TaskScheduled`, `TaskStarted`,
   * `TaskSucceeded`/`TaskFailed`/`TaskTimedOut`, `TaskSubmitted` for callback tasks, `...StateExited`,
   * `MapRunStarted`/`MapRunSucceeded`/`MapRunFailed`/`MapRunAborted`, `ExecutionFailed`'s cause
   * events. Delivered synchronously; must not throw.
   * @default - no history
   */
  readonly onHistoryEvent?: (event: HistoryEventBody) => void;
  /**
   * Called when a distributed Map state starts a Map Run, with a handle to describe it and to
   * change its MaxConcurrency and tolerated failure while it runs (UpdateMapRun).
   * @default - nobody can see or change running Map Runs
   */
  readonly onMapRunStarted?: (mapRun: LiveMapRun) => void;
  /**
   * Runs the executions that `states:startExecution.sync` / `.sync:2` Tasks start (StartExecution
   * of a named state machine, then waiting for its end). Required when the definition has such a Task.
   * @default - none: a definition with such a Task is refused (NestedExecutionsRequiredError)
   */
  readonly nestedExecutions?: NestedExecutions;
}

/** What a `states:startExecution.sync` Task asks to start (its resolved Parameters). */
export interface NestedExecutionRequest {
  readonly stateMachineArn: string;
  /** The execution input, parsed (an `Input` given as JSON text is parsed first). */
  readonly input: unknown;
  /** The execution name. @default - one the runner chooses, as StartExecution does */
  readonly name?: string;
  /** Aborted when the parent execution stops or ends: stop the nested execution then. */
  readonly signal: AbortSignal;
}

/** How a nested execution ended, as DescribeExecution would describe it. */
export interface NestedExecutionEnd {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: Date;
  readonly stopDate: Date;
  readonly input: unknown;
  /** When SUCCEEDED. */
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * Starts and runs nested executions for `states:startExecution.sync` Tasks. A thrown error fails
 * the Task with its `name` as the ASL error (e.g. `StepFunctions.StateMachineDoesNotExistException`).
 */
export interface NestedExecutions {
  run(request: NestedExecutionRequest): Promise<NestedExecutionEnd>;
}

/**
 * One history event without `id`, `previousEventId` and `timestamp` (the recorder numbers and
 * stamps them): `type` plus the one details member AWS's HistoryEvent has for that type, e.g.
 * `{ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan', input: '{...}' } }`.
 */
export interface HistoryEventBody {
  readonly type: string;
  readonly [detailsMember: string]: unknown;
}

/** Item or child-execution counts of a Map Run, as DescribeMapRun returns them. */
export interface MapRunCounts {
  readonly pending: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly aborted: number;
  readonly total: number;
  readonly resultsWritten: number;
}

/** DescribeMapRun's output for one Map Run. */
export interface MapRunDescription {
  readonly mapRunArn: string;
  readonly executionArn: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  readonly startDate: Date;
  readonly stopDate?: Date;
  readonly maxConcurrency: number;
  readonly toleratedFailurePercentage: number;
  readonly toleratedFailureCount: number;
  readonly itemCounts: MapRunCounts;
  readonly executionCounts: MapRunCounts;
  readonly redriveCount: number;
}

/** UpdateMapRun's changes; each takes effect before the next child starts. */
export interface MapRunUpdate {
  readonly maxConcurrency?: number;
  readonly toleratedFailurePercentage?: number;
  readonly toleratedFailureCount?: number;
}

/** A Map Run as the Step Functions API sees it while (and after) it runs. */
export interface LiveMapRun {
  readonly mapRunArn: string;
  readonly executionArn: string;
  describe(): MapRunDescription;
  /** @throws Error with name `ValidationException` for a value AWS refuses (negative, percentage > 100) or once the Map Run has ended. */
  update(changes: MapRunUpdate): void;
}
