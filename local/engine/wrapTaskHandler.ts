import { EngineError } from './errors';
import type { StatsCollector } from './StatsCollector';
import type { TaskHandler } from './types';

/** The shape aws-local-stepfunctions calls for a Task state. */
export type LocalTaskHandler = (input: unknown) => Promise<unknown>;

/**
 * Wraps a caller's handler the way Lambda sits behind a Task state:
 * - counts the invocation (retries included) under its resource;
 * - passes and returns JSON copies (what crosses the wire on AWS), so a handler cannot share
 *   objects with the engine; `undefined` becomes `null` like an empty Lambda response;
 * - turns any thrown value into a plain error whose `name` is the ASL error name and whose
 *   `message` is the Cause. Dropping the original `cause` keeps the Cause a string everywhere
 *   (aws-local-stepfunctions would otherwise report the nested error object).
 */
export function wrapTaskHandler(resource: string, handler: TaskHandler, stats: StatsCollector): LocalTaskHandler {
  return async (input) => {
    stats.taskInvoked(resource);
    let result: unknown;
    try {
      result = await handler(JSON.parse(JSON.stringify(input ?? null)));
    } catch (error) {
      throw asTaskFailure(error);
    }
    try {
      return JSON.parse(JSON.stringify(result ?? null)) as unknown;
    } catch (error) {
      throw new EngineError(`The handler for ${resource} returned a value that is not JSON; return plain data`, { cause: error });
    }
  };
}

function asTaskFailure(error: unknown): Error {
  if (error instanceof EngineError) return error;
  const failure = new Error(error instanceof Error ? error.message : String(error));
  failure.name = error instanceof Error && error.name ? error.name : 'Error';
  return failure;
}
