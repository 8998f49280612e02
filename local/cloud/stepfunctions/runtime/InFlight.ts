/**
 * Promises still running (task handler invocations, status-change deliveries), so that closing the
 * server can let them end before the emulators under them go away.
 * @example
 *   const inFlight = new InFlight();
 *   const wrapped = (input) => inFlight.track(handler(input));
 *   await inFlight.settled(5_000);
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(promise: Promise<T>): Promise<T> {
    this.running.add(promise);
    const forget = () => this.running.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  get count(): number {
    return this.running.size;
  }

  /** Resolves when nothing runs (true), or after `timeoutMs` with something still running (false). */
  async settled(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const drained = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    try {
      return await Promise.race([drained, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
