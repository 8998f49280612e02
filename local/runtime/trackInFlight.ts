import type { TaskHandler } from '../engine';
import type { TaskHandlerWrapper } from './localFunctions';

/**
 * Tracks the task handler invocations still running. Why: an aborted execution starts no new work,
 * but a handler already running goes on (as a Lambda invocation would); closing the emulators under
 * it failed its requests and filled stderr with s3rver's errors after the "stopped" message.
 * Awaiting {@link settled} before closing lets the batch in flight end cleanly.
 * @example
 *   const inFlight = trackInFlight();
 *   await runBackfillLocally({ env, input, runId, wrapTaskHandler: inFlight.wrap });
 *   await inFlight.settled(); await env.close();
 */
export function trackInFlight(): { readonly wrap: TaskHandlerWrapper; readonly count: () => number; settled(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const wrap: TaskHandlerWrapper = (_name: string, handler: TaskHandler): TaskHandler => (input) => {
    const invocation = handler(input);
    running.add(invocation);
    const forget = () => running.delete(invocation);
    invocation.then(forget, forget);
    return invocation;
  };
  return {
    wrap,
    count: () => running.size,
    settled: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
