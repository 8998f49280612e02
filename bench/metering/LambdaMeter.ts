import { AsyncLocalStorage } from 'node:async_hooks';
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
  private readonly calling: AsyncLocalStorage<string> | undefined;

  /**
   * @param options.trackCalls know which call a request runs in (`currentFunction`); off by default,
   *   since AsyncLocalStorage costs every promise of the process a little and the run is being timed.
   */
  constructor(options: { readonly trackCalls?: boolean } = {}) {
    this.calling = options.trackCalls ? new AsyncLocalStorage<string>() : undefined;
  }

  /** The function whose invocation the caller runs in (for attributing its AWS requests), if any. */
  readonly currentFunction = (): string | undefined => this.calling?.getStore();

  /** Invocations so far per function: `since(snapshot)` gives what came after. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.usage).map(([name, fn]) => [name, fn.durationsMs.length]));
  }

  /** The invocations that ended after `snapshot` was taken (durations are kept in completion order). */
  since(snapshot: Readonly<Record<string, number>>): Record<string, FunctionUsage> {
    const after: Record<string, FunctionUsage> = {};
    for (const [name, fn] of Object.entries(this.usage)) {
      const durationsMs = fn.durationsMs.slice(snapshot[name] ?? 0);
      if (durationsMs.length > 0) after[name] = { invocations: durationsMs.length, durationsMs };
    }
    return after;
  }

  readonly wrap: TaskHandlerWrapper = (functionName: string, handler: TaskHandler): TaskHandler => {
    const usage = (this.usage[functionName] ??= { invocations: 0, durationsMs: [] });
    return async (input) => {
      const started = performance.now();
      usage.invocations += 1;
      try {
        return await (this.calling ? this.calling.run(functionName, () => handler(input)) : handler(input));
      } finally {
        usage.durationsMs.push(performance.now() - started);
      }
    };
  };
}
