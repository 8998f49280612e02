import { join } from 'node:path';
import type { OperationsNotifier } from '../../lambdas/lib/breaker';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { loadDefinition, localNestedExecutions, runExecution, TaskTokens, type EngineEvent, type ExecutionOutcome, type HistoryEventBody } from '../engine';
import { localFunctions, ROLLBACK_STATE_MACHINE_NAME, type TaskHandlerWrapper } from './localFunctions';
import { ROLLBACK_ASL } from './runRollbackLocally';
import type { LocalEnvironment } from './LocalEnvironment';

export const BACKFILL_ASL = join(__dirname, '..', '..', 'statemachines', 'backfill.asl.json');

/**
 * A run through this function has no operations topic (`local up` and `npm start` deliver to the
 * outbox instead): without this, the handlers would look for OPERATIONS_TOPIC_ARN as on AWS.
 */
const NO_OPERATIONS_TOPIC: OperationsNotifier = { topicArn: 'arn:aws:sns:local:000000000000:no-operations-topic', publish: async () => undefined };

const withOperations = (deps: Deps): Deps => (deps.operations ? deps : { ...deps, operations: NO_OPERATIONS_TOPIC });

export interface LocalRunOptions {
  readonly env: LocalEnvironment;
  /** The execution input: a spec as the user wrote it (validated by the first state). */
  readonly input: unknown;
  /** The execution name, which is the runId. */
  readonly runId: string;
  readonly onEvent?: (event: EngineEvent) => void;
  /** The parent's history events as they happen (e.g. to time states). @default - no history */
  readonly onHistoryEvent?: (event: HistoryEventBody) => void;
  readonly signal?: AbortSignal;
  /** Wraps each function's handler (e.g. to time invocations). @default - the handlers as they are */
  readonly wrapTaskHandler?: TaskHandlerWrapper;
  /**
   * Answers the task tokens RequestApproval waits on (a staged run with `approval`).
   * @default - tokens nobody answers here: such a run waits until its approval times out
   */
  readonly taskTokens?: TaskTokens;
}

/**
 * Runs statemachines/backfill.asl.json — the file the stack deploys — through the local engine,
 * with every Task resource bound to the real handler code and the emulators; RollbackCanary runs
 * statemachines/rollback.asl.json the same way.
 */
export async function runBackfillLocally(options: LocalRunOptions): Promise<ExecutionOutcome> {
  const deps = withOperations(options.env.deps);
  const { substitutions, taskHandlers } = localFunctions('backfill', deps, options.wrapTaskHandler);
  const definition = loadDefinition(BACKFILL_ASL, substitutions);
  // A rejected run's RollbackCanary starts the rollback state machine and waits for it.
  const rollback = localFunctions('rollback', deps, options.wrapTaskHandler);
  const nestedExecutions = localNestedExecutions(
    [{ stateMachineName: ROLLBACK_STATE_MACHINE_NAME, definition: loadDefinition(ROLLBACK_ASL, rollback.substitutions), taskHandlers: rollback.taskHandlers }],
    { s3: options.env.clients.s3 },
  );
  return runExecution({
    definition,
    input: options.input,
    executionName: options.runId,
    stateMachineName: 'Backfill',
    taskHandlers,
    s3: options.env.clients.s3,
    onEvent: options.onEvent,
    ...(options.onHistoryEvent ? { onHistoryEvent: options.onHistoryEvent } : {}),
    signal: options.signal,
    nestedExecutions,
    // The definition has a .waitForTaskToken Task (RequestApproval), so the engine needs tokens even for an unstaged run.
    taskTokens: options.taskTokens ?? new TaskTokens(),
  });
}
