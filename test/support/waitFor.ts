export interface WaitForOptions {
  /** What is awaited, for the timeout message ("run r1 to reach SUCCEEDED"). */
  readonly describe: string;
  /** Give up after this long. @default 10000 */
  readonly timeoutMs?: number;
  /** Pause between polls. @default 50 */
  readonly intervalMs?: number;
}

/**
 * Polls `predicate` until it returns a truthy value and resolves with that value; rejects once
 * `timeoutMs` has passed, naming `describe`. Fail fast: if the predicate throws (say, because an
 * execution reached FAILED or TIMED_OUT), the error propagates at once instead of waiting out the
 * deadline. A poll still pending at the deadline counts as a timeout. Use this, never a bare sleep (STYLE §15).
 * @example
 *   const status = await waitFor(
 *     async () => {
 *       const s = await getStatus(runId);
 *       if (s === 'FAILED' || s === 'TIMED_OUT') throw new Error(`run ${runId} ended ${s}`);
 *       return s === 'SUCCEEDED' && s;
 *     },
 *     { describe: `run ${runId} to succeed`, timeoutMs: 30_000 },
 *   );
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  options: WaitForOptions,
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  const timedOut = (): Error =>
    new Error(`timed out after ${timeoutMs} ms (${polls} polls) waiting for ${options.describe}`);
  for (;;) {
    polls += 1;
    const value = await beforeDeadline(Promise.resolve().then(predicate), deadline, timedOut);
    if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) throw timedOut();
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, remainingMs)));
  }
}

/** A poll that hangs must not outlive the deadline either. */
async function beforeDeadline<T>(poll: Promise<T>, deadline: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), Math.max(0, deadline - Date.now()));
  });
  poll.catch(() => undefined); // if the deadline wins, a later rejection of the poll is moot
  try {
    return await Promise.race([poll, expired]);
  } finally {
    clearTimeout(timer);
  }
}
