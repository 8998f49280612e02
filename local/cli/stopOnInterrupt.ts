import type { TaskHandlerWrapper } from '../runtime/localFunctions';
import { trackInFlight } from '../runtime/trackInFlight';

/** How a command stops when the operator presses Ctrl-C (see {@link stopOnInterrupt}). */
export interface InterruptStop {
  /** Aborted on the first Ctrl-C: the execution starts no new work. */
  readonly signal: AbortSignal;
  /** Wraps task handlers so the calls in flight are known and awaited. */
  readonly wrap: TaskHandlerWrapper;
  /** The signal that stopped the command, if one did. */
  stoppedBy(): NodeJS.Signals | undefined;
  /** Waits for the calls in flight, then stops listening; call before closing the emulators. */
  settle(): Promise<void>;
}

/**
 * Ctrl-C for a local command: the first aborts the execution and lets the task calls in flight
 * finish (closing the emulators under them would fail their requests); a second stops at once, but
 * still prints `stoppedMessage(signal)` (who stopped it and how to go on) and exits 130.
 * @example
 *   const stop = stopOnInterrupt(io.info, (signal) => new StoppedByOperatorError(`Run ${runId}`, signal, dataDir).message);
 *   try { await runBackfillLocally({ env, input, runId, signal: stop.signal, wrapTaskHandler: stop.wrap }); }
 *   finally { await stop.settle(); await env.close(); }
 */
export function stopOnInterrupt(info: (line: string) => void, stoppedMessage: (signal: NodeJS.Signals) => string): InterruptStop {
  const abort = new AbortController();
  const inFlight = trackInFlight();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy) {
      // The second Ctrl-C: the calls cut off leave leases the next start takes over at once, the
      // data-dir lock proving this process gone.
      info(stoppedMessage(signal));
      process.exit(130);
    }
    stoppedBy = signal;
    abort.abort();
    if (inFlight.count() > 0) info(`stopping: letting the ${inFlight.count()} batch call(s) in flight finish (Ctrl-C again stops at once)`);
  };
  process.on('SIGINT', onSignal);
  return {
    signal: abort.signal,
    wrap: inFlight.wrap,
    stoppedBy: () => stoppedBy,
    settle: async () => {
      await inFlight.settled();
      process.removeListener('SIGINT', onSignal);
    },
  };
}
