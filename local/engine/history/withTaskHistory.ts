import type { AslState } from '../types';
import type { LocalTaskHandler } from '../wrapTaskHandler';
import { taskResourceKind } from './historyDetails';
import type { HistoryRecorder, TaskAttemptHistory } from './HistoryRecorder';

/** A Task's local handler that may record more of its attempt itself (a callback Task: its parameters with the token, TaskSubmitted). */
export type HistoryAwareHandler = (input: unknown, attempt?: TaskAttemptHistory) => Promise<unknown>;

/**
 * Records each attempt of one Task state: `...Scheduled`/`...Started` before the handler runs
 * (unless `schedulesItself`: the handler then calls `attempt.scheduled`), then `...Succeeded` with
 * its result or `...Failed`/`...TimedOut` with the thrown error's name and message.
 *
 * @example
 *   const handler = withTaskHistory(recorder, 'Plan', state, wrapTaskHandler(resource, plan, stats));
 */
export function withTaskHistory(history: HistoryRecorder, stateName: string, state: AslState, handler: HistoryAwareHandler, schedulesItself = false): LocalTaskHandler {
  const kind = taskResourceKind(String(state.Resource));
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {};
  return async (input) => {
    await history.caughtUp();
    const attempt = history.beginTask(stateName, kind);
    if (!schedulesItself) attempt.scheduled({ parameters: input, ...timeoutSeconds });
    try {
      const output = await handler(input, attempt);
      attempt.succeeded(output);
      return output;
    } catch (error) {
      attempt.failed(error instanceof Error ? error.name : 'Error', error instanceof Error ? error.message : String(error));
      throw error;
    }
  };
}
