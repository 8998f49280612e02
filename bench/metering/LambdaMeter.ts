import { performance } from 'node:perf_hooks';
import type { TaskHandler } from '../../local/engine';
import type { TaskHandlerWrapper } from '../../local/runtime/localFunctions';

/** One function's invocations: each call's wall time, failed calls included. */
export interface FunctionUsage {
  invocations: number;
  /** Wall time of each invocation in ms, in completion order. */
  durationsMs: number[];
}

/**
 * Times every Task handler call of a local run, per function (the Lambda duration AWS would bill,
 * as measured here: the handler's wall time, which includes waiting for the emulators).
 * @example
 *   const lambdas = new LambdaMeter();
 *   await runBackfillLocally({ env, input, runId, wrapTaskHandler: lambdas.wrap });
 */
export class LambdaMeter {
  readonly usage: Record<string, FunctionUsage> = {};

  readonly wrap: TaskHandlerWrapper = (functionName: string, handler: TaskHandler): TaskHandler => {
    const usage = (this.usage[functionName] ??= { invocations: 0, durationsMs: [] });
    return async (input) => {
      const started = performance.now();
      usage.invocations += 1;
      try {
        return await handler(input);
      } finally {
        usage.durationsMs.push(performance.now() - started);
      }
    };
  };
}
