/** A promise with its `resolve` and `reject` in hand, for a test to settle at the moment it chooses. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  /** Whether resolve or reject has been called. */
  readonly settled: boolean;
}

/**
 * A promise the test settles itself: hold a task until another has started, so their overlap is
 * certain instead of likely (never a sleep, STYLE §15). Settling twice keeps the first outcome.
 * @example
 *   const release = deferred();
 *   const handler = async (input: unknown) => { await release.promise; return input; };
 *   // ... once the test has seen what it waits for:
 *   release.resolve();
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve(value) {
      settled = true;
      resolve(value);
    },
    reject(error) {
      settled = true;
      reject(error);
    },
    get settled() {
      return settled;
    },
  };
}

/** A promise that resolves once {@link Latch.arrive} has been called `count` times. */
export interface Latch {
  readonly promise: Promise<void>;
  arrive(): void;
  /** How many have arrived so far. */
  readonly arrived: number;
}

/**
 * A countdown latch: resolves when `count` parties have arrived, e.g. once N tasks are all running.
 * @example
 *   const bothRunning = latch(2);
 *   const handler = async (input: unknown) => { bothRunning.arrive(); await bothRunning.promise; return input; };
 */
export function latch(count: number): Latch {
  if (!Number.isInteger(count) || count < 1) throw new Error(`latch count must be a positive integer, got ${count}`);
  const done = deferred();
  let arrived = 0;
  return {
    promise: done.promise,
    arrive() {
      arrived += 1;
      if (arrived >= count) done.resolve();
    },
    get arrived() {
      return arrived;
    },
  };
}
