/**
 * Where task-token waits get their time from. Injected so tests move time by hand instead of
 * sleeping; the engine never reads the wall clock for a wait.
 */
export interface TaskTimers {
  /** Calls `onFire` once after `ms` milliseconds; the returned function cancels it. */
  setTimer(ms: number, onFire: () => void): () => void;
}

// Node fires a timer longer than 2^31-1 ms at once; a callback task may wait up to a year.
const LONGEST_NODE_TIMER_MS = 2_147_483_647;

/**
 * Real timers, for any duration: waits longer than Node's longest timer are chained.
 *
 * @example
 *   const cancel = systemTimers.setTimer(300_000, () => console.log('5 minutes passed'));
 *   cancel();
 */
export const systemTimers: TaskTimers = {
  setTimer(ms, onFire) {
    let handle: NodeJS.Timeout | undefined;
    const arm = (remainingMs: number) => {
      const stepMs = Math.min(remainingMs, LONGEST_NODE_TIMER_MS);
      handle = setTimeout(() => (remainingMs > stepMs ? arm(remainingMs - stepMs) : onFire()), stepMs);
    };
    arm(Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};
