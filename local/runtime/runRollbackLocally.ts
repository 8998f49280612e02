import { join } from 'node:path';
import { loadDefinition, runExecution, type EngineEvent, type ExecutionOutcome } from '../engine';
import { localFunctions, ROLLBACK_STATE_MACHINE_NAME, type TaskHandlerWrapper } from './localFunctions';
import type { LocalEnvironment } from './LocalEnvironment';

export const ROLLBACK_ASL = join(__dirname, '..', '..', 'statemachines', 'rollback.asl.json');

export interface LocalRollbackOptions {
  readonly env: LocalEnvironment;
  /** The execution input: `{ runId, mode?, force? }` as an operator would paste it (validated by the first state). */
  readonly input: unknown;
  /** The execution's name. @default `rollback-<runId>` */
  readonly executionName?: string;
  readonly onEvent?: (event: EngineEvent) => void;
  readonly signal?: AbortSignal;
  /** Wraps each function's handler (e.g. to time invocations). @default - the handlers as they are */
  readonly wrapTaskHandler?: TaskHandlerWrapper;
  /** Milliseconds to wait between retries, by state name (e.g. `{ RestoreBatch: 0 }` in tests). @default - the ASL's intervals */
  readonly retryIntervalOverrides?: Record<string, number>;
}

/**
 * Runs statemachines/rollback.asl.json — the file the stack deploys — through the local engine,
 * with every Task resource bound to the real rollback handler code and the emulators.
 */
export async function runRollbackLocally(options: LocalRollbackOptions): Promise<ExecutionOutcome> {
  const { substitutions, taskHandlers } = localFunctions('rollback', options.env.deps, options.wrapTaskHandler);
  const definition = loadDefinition(ROLLBACK_ASL, substitutions);
  const runId = (options.input as { runId?: unknown } | null)?.runId;
  return runExecution({
    definition,
    input: options.input,
    executionName: options.executionName ?? `rollback-${typeof runId === 'string' ? runId : 'run'}`.slice(0, 80),
    stateMachineName: ROLLBACK_STATE_MACHINE_NAME,
    taskHandlers,
    s3: options.env.clients.s3,
    onEvent: options.onEvent,
    signal: options.signal,
    retryIntervalOverrides: options.retryIntervalOverrides,
  });
}
