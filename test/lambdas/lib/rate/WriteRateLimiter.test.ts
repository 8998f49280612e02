import { WriteRateLimiter } from '../../../../lambdas/lib/rate';
import { ManualClock } from '../../../../lambdas/lib/runtime/Clock';

/** Virtual time: sleepers wait on a manual clock that `runUntilIdle` moves from timer to timer. */
class VirtualTime {
  readonly clock = new ManualClock(0);
  private timers: Array<{ at: number; wake: () => void }> = [];
  readonly sleep = (ms: number) => new Promise<void>((wake) => this.timers.push({ at: this.clock.nowMs() + ms, wake }));

  async runUntilIdle(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers.shift()!;
      this.clock.advance(Math.max(0, due.at - this.clock.nowMs()));
      due.wake();
    }
  }
}

/** N workers, each writing `writesEach` times with 16 writes in flight at once (as a batch does); the time of every write. */
async function runWorkers(time: VirtualTime, limiters: readonly WriteRateLimiter[], writesEach: number): Promise<number[]> {
  const writeTimes: number[] = [];
  const worker = async (limiter: WriteRateLimiter) => {
    let left = writesEach;
    const lane = async () => {
      while (left > 0) {
        left -= 1;
        await limiter.take();
        writeTimes.push(time.clock.nowMs());
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
  };
  const done = Promise.all(limiters.map(worker));
  await time.runUntilIdle();
  await done;
  return writeTimes;
}

const perSecond = (times: readonly number[]): number[] => {
  const seconds: number[] = [];
  for (const t of times) seconds[Math.floor(t / 1000)] = (seconds[Math.floor(t / 1000)] ?? 0) + 1;
  return Array.from(seconds, (n) => n ?? 0);
};

describe('WriteRateLimiter', () => {
  it('keeps the writes of N workers at the ceiling per second, all together', async () => {
    // GIVEN a ceiling of 100 writes/s and 4 workers (the concurrency), each with 200 writes to make
    const time = new VirtualTime();
    const limiters = Array.from({ length: 4 }, () => new WriteRateLimiter({ maxWritesPerSecond: 100, concurrency: 4, clock: time.clock, sleep: time.sleep }));
    // WHEN they write at once
    const times = await runWorkers(time, limiters, 200);
    // THEN every second holds at most 100 writes, and from the start never more than 100 × the seconds elapsed
    expect(times).toHaveLength(800);
    expect(Math.max(...perSecond(times))).toBeLessThanOrEqual(100);
    const sorted = [...times].sort((a, b) => a - b);
    sorted.forEach((t, index) => expect(index + 1).toBeLessThanOrEqual((100 * t) / 1000));
    // AND the ceiling is used, not merely respected: 800 writes take 8 seconds
    expect(sorted.at(-1)).toBe(8000);
    expect(limiters[0]!.writesPerSecond).toBe(25);
  });

  it('keeps to the ceiling from the start when the ceiling is not a multiple of the concurrency', async () => {
    const time = new VirtualTime();
    const limiters = Array.from({ length: 3 }, () => new WriteRateLimiter({ maxWritesPerSecond: 10, concurrency: 3, clock: time.clock, sleep: time.sleep }));
    const times = (await runWorkers(time, limiters, 20)).sort((a, b) => a - b);
    times.forEach((t, index) => expect(index + 1).toBeLessThanOrEqual((10 * t) / 1000 + 1e-9));
    expect(times.at(-1)).toBe(6000);
  });

  it('lowers a running worker\'s share when the concurrency rises, and keeps it when the concurrency falls', () => {
    const clock = new ManualClock(0);
    const limiter = new WriteRateLimiter({ maxWritesPerSecond: 100, concurrency: 4, clock, sleep: async () => undefined });
    limiter.concurrencyIs(2);
    expect(limiter.writesPerSecond).toBe(25);
    limiter.concurrencyIs(5);
    expect(limiter.writesPerSecond).toBe(20);
    expect(limiter.intervalMs).toBe(50);
  });

  it('lets no write through before its turn, even after an idle spell', async () => {
    const time = new VirtualTime();
    const limiter = new WriteRateLimiter({ maxWritesPerSecond: 2, concurrency: 1, clock: time.clock, sleep: time.sleep });
    const at: number[] = [];
    const write = async () => {
      await limiter.take();
      at.push(time.clock.nowMs());
    };
    const first = Promise.all([write(), write()]);
    await time.runUntilIdle();
    await first;
    // idle for 10 s: no burst is saved up, the next two writes are 500 ms apart again
    time.clock.advance(10_000);
    const second = Promise.all([write(), write()]);
    await time.runUntilIdle();
    await second;
    expect(at).toEqual([500, 1000, 11_000, 11_500]);
  });
});
