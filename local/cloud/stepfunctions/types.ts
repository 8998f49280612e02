import type { S3Client } from '@aws-sdk/client-s3';
import type { AslDefinition, EngineEvent, TaskHandler, TaskTokens } from '../../engine';

/** One state machine the local Step Functions API serves, registered at start-up. */
export interface LocalStateMachine {
  /** Its name; its ARN is `stateMachineArn(name)` (local/engine/arns.ts), e.g. `Backfill`. */
  readonly name: string;
  /** The ASL file's text after substitution: what DescribeStateMachine returns as `definition`. */
  readonly definitionText: string;
  /** The same definition, parsed. */
  readonly definition: AslDefinition;
  /** One handler per Task resource ARN in the definition. */
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
  readonly roleArn: string;
}

/**
 * The EventBridge event AWS sends for an execution's status change (detail-type "Step Functions
 * Execution Status Change", source "aws.states"), as a rule's target receives it.
 */
export interface ExecutionStatusChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Step Functions Execution Status Change';
  readonly source: 'aws.states';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly executionArn: string;
    readonly stateMachineArn: string;
    readonly name: string;
    readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
    /** Epoch milliseconds. */
    readonly startDate: number;
    readonly stopDate: number | null;
    readonly input: string;
    readonly output: string | null;
    readonly error: string | null;
    readonly cause: string | null;
  };
}

export interface StepFunctionsServerOptions {
  /** Listens on 127.0.0.1 only. @default 0 - an ephemeral port */
  readonly port?: number;
  readonly stateMachines: readonly LocalStateMachine[];
  /** ItemReader and ResultWriter objects (s3rver). */
  readonly s3: S3Client;
  /**
   * Executions (name, input, status, dates, output/error, history) are kept here, so they outlive
   * the process; executions found RUNNING at start are started again from their first state, after
   * the closing status-change events a killed process had not delivered (at least once, as EventBridge).
   * @default - in memory only
   */
  readonly stateDir?: string;
  /**
   * Start the executions found RUNNING in `stateDir` again. `false` leaves them RUNNING on disk as
   * they are, neither run nor written (described and listed RUNNING; StopExecution ends them), for a
   * process that must not run a killed one beside its own work (e.g. a rollback of its run).
   * @default true
   */
  readonly restartRunningExecutions?: boolean;
  /** Answers SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat. @default - a new TaskTokens */
  readonly taskTokens?: TaskTokens;
  /** Every status change of every execution (RUNNING included), after it is recorded. Errors are logged, never fail the execution. */
  readonly onExecutionStatusChange?: (event: ExecutionStatusChangeEvent) => Promise<void>;
  /** The engine's Map Run progress events of each execution (for an in-process progress view). */
  readonly onEngineEvent?: (executionArn: string, event: EngineEvent) => void;
}

export interface StepFunctionsServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /**
   * Resolves when the execution closes (any status). For in-process callers such as `npm start`.
   * @throws Error with name `ExecutionDoesNotExist` for an unknown ARN
   */
  waitForExecution(executionArn: string): Promise<{ status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'; output?: string; error?: string; cause?: string }>;
  /**
   * Stops serving. Running executions are abandoned, not ended: they stay RUNNING in `stateDir` (and
   * start again from their first state next time), as after a crash; in-flight handler calls are
   * awaited up to `drainMs`. No status-change event is sent for them.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}
