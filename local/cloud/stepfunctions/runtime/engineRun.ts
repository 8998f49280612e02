import type { EngineEvent, ExecutionOutcome, TaskHandler } from '../../../engine';
import type { Closing } from '../model/closingEvents';
import type { InFlight } from './InFlight';

/**
 * How an engine outcome closes the execution: its output as JSON text, or its error and cause.
 * @example
 *   closingOfOutcome(outcome) // { status: 'SUCCEEDED', output: '{"value":4}' }
 */
export function closingOfOutcome(outcome: ExecutionOutcome): Closing {
  if (outcome.status === 'SUCCEEDED') return { status: 'SUCCEEDED', output: JSON.stringify(outcome.output ?? null) };
  return {
    status: outcome.status,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
  };
}

/**
 * The handlers, each call counted in `inFlight`, so that close() can let the ones in flight finish.
 * @example
 *   runExecution({ ...options, taskHandlers: trackedHandlers(machine.taskHandlers, inFlight) });
 */
export function trackedHandlers(handlers: Readonly<Record<string, TaskHandler>>, inFlight: InFlight): Record<string, TaskHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([arn, handler]) => [arn, (input: unknown) => inFlight.track(handler(input))]));
}

/**
 * Calls `onEngineEvent`, logging what it throws: a progress view that throws must not stop the
 * execution (the engine would fail it).
 * @example
 *   onEvent: (event) => forwardEngineEvent(onEngineEvent, log, executionArn, event)
 */
export function forwardEngineEvent(
  onEngineEvent: ((executionArn: string, event: EngineEvent) => void) | undefined,
  log: (line: string) => void,
  executionArn: string,
  event: EngineEvent,
): void {
  try {
    onEngineEvent?.(executionArn, event);
  } catch (error) {
    log(`onEngineEvent failed for ${executionArn}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
