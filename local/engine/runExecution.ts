import { executionArn, stateMachineArn } from './arns';
import { runMapRun } from './distributed/runMapRun';
import { EngineError, MissingTaskHandlerError } from './errors';
import { HistoryRecorder } from './history/HistoryRecorder';
import { prepareMachine } from './prepareMachine';
import { runMachine, type MachineRun } from './runMachine';
import { StatsCollector } from './StatsCollector';
import { loadStatesTimeoutError } from './tasks/statesTimeoutError';
import type { ExecutionOutcome, RunExecutionOptions } from './types';

const DEFAULT_STATE_MACHINE_NAME = 'LocalStateMachine';

/**
 * Runs a state machine definition locally through aws-local-stepfunctions, with distributed-mode
 * Map states emulated by the engine (ItemReader, ItemSelector, ItemBatcher, MaxConcurrency,
 * tolerated failures, ResultWriter; see docs/local-engine.md).
 *
 * Resolves with the outcome, FAILED included. Throws only when the engine cannot run the
 * definition faithfully: {@link MissingTaskHandlerError} (before anything runs), an
 * `UnsupportedDefinitionError`, a handler returning non-JSON, or an `onEvent` / `onHistoryEvent` /
 * `onMapRunStarted` callback that threw.
 *
 * @example
 *   const outcome = await runExecution({
 *     definition: loadDefinition('statemachines/backfill.asl.json', substitutions),
 *     input: spec,
 *     executionName: 'orders-fix-1',
 *     taskHandlers: { [substitutions.WorkerFunctionArn]: (event) => workerHandler(event) },
 *     s3,
 *     onEvent: (event) => progressBar.update(event),
 *   });
 *   if (outcome.status !== 'SUCCEEDED') console.error(outcome.error, outcome.cause);
 */
export async function runExecution(options: RunExecutionOptions): Promise<ExecutionOutcome> {
  const stateMachineName = options.stateMachineName ?? DEFAULT_STATE_MACHINE_NAME;
  const stats = new StatsCollector();
  const abort = new AbortController();
  // Map Runs still winding down when the parent ends (aborted, timed out): awaited before the stats are read.
  const mapRunsInFlight = new Set<Promise<unknown>>();
  const track = (mapRun: Promise<unknown>): Promise<unknown> => {
    mapRunsInFlight.add(mapRun);
    mapRun.then(
      () => mapRunsInFlight.delete(mapRun),
      () => mapRunsInFlight.delete(mapRun),
    );
    return mapRun;
  };
  const history = options.onHistoryEvent ? new HistoryRecorder(options.onHistoryEvent, () => abort.abort()) : undefined;
  const mapRunDeps = {
    s3: options.s3,
    stats,
    stateMachineName,
    retryIntervalOverrides: options.retryIntervalOverrides,
    onEvent: options.onEvent,
    onMapRunStarted: options.onMapRunStarted,
    signal: abort.signal,
  };
  // Tokens of this execution and its children: stopping or ending the execution closes them (TaskTimedOut after).
  const executionTokens = options.taskTokens?.openExecution();
  const { prepared, missing } = prepareMachine(options.definition, {
    taskHandlers: options.taskHandlers,
    stats,
    taskTokens: executionTokens,
    nestedExecutions: options.nestedExecutions,
    signal: abort.signal,
    history,
    distributedMap: (stateName, state, child, mapHistory) => (parameters) => track(runMapRun({ ...mapRunDeps, history: mapHistory }, stateName, state, child, parameters)),
  });
  if (missing.length > 0) throw new MissingTaskHandlerError(missing);

  let input: unknown;
  try {
    input = JSON.parse(JSON.stringify(options.input));
  } catch (error) {
    throw new EngineError('The execution input must be JSON', { cause: error });
  }
  if (input === undefined) throw new EngineError('The execution input must be JSON, got undefined');
  if (executionTokens) await loadStatesTimeoutError();

  const onAbort = () => {
    executionTokens?.closeAll('its execution was stopped');
    abort.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let run: MachineRun;
  try {
    run = await runMachine(prepared, input, {
      context: {
        Execution: { Id: executionArn(stateMachineName, options.executionName), Name: options.executionName },
        StateMachine: { Id: stateMachineArn(stateMachineName), Name: stateMachineName },
      },
      executionName: 'parent',
      transitions: stats.parent,
      stats,
      retryIntervalOverrides: options.retryIntervalOverrides,
      signal: abort.signal,
      onLogEvent: history ? (event) => history.logEvent(event) : undefined,
    });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    executionTokens?.closeAll('its execution ended');
    // Stops any Map Run still starting children after the parent ended (aborted, timed out), then lets it settle.
    abort.abort();
    await Promise.allSettled([...mapRunsInFlight]);
  }
  history?.close(run.status === 'ABORTED');
  if (run.engineError) throw run.engineError;
  if (history?.failure) throw history.failure;
  return {
    status: run.status,
    ...(run.status === 'SUCCEEDED' ? { output: run.output } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...(run.cause !== undefined ? { cause: run.cause } : {}),
    stats: stats.snapshot(),
  };
}
