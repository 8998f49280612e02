import { deferred, latch } from './deferred';

/** Whether `promise` has settled once every queued microtask has run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('deferred', () => {
  it('stays pending until resolved, then resolves with the value', async () => {
    const d = deferred<number>();
    expect(await isSettled(d.promise)).toBe(false);
    expect(d.settled).toBe(false);
    d.resolve(7);
    expect(d.settled).toBe(true);
    await expect(d.promise).resolves.toBe(7);
  });

  it('rejects with the error given, and keeps the first outcome when settled twice', async () => {
    const d = deferred();
    d.reject(new Error('stopped'));
    d.resolve();
    await expect(d.promise).rejects.toThrow('stopped');
  });
});

describe('latch', () => {
  it('resolves only once count parties have arrived', async () => {
    const l = latch(3);
    l.arrive();
    l.arrive();
    expect(await isSettled(l.promise)).toBe(false);
    l.arrive();
    expect(l.arrived).toBe(3);
    await expect(l.promise).resolves.toBeUndefined();
  });

  it('refuses a count that could never be reached, naming it', () => {
    expect(() => latch(0)).toThrow('latch count must be a positive integer, got 0');
  });
});
