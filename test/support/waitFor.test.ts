import { waitFor } from './waitFor';

describe('waitFor', () => {
  it('resolves with the first truthy value the predicate returns', async () => {
    // GIVEN a predicate that becomes true on its third poll
    let polls = 0;
    // WHEN waiting for it
    const value = await waitFor(() => (++polls >= 3 ? `ready after ${polls}` : undefined), {
      describe: 'the third poll',
      intervalMs: 1,
    });
    // THEN it returns the predicate's value
    expect(value).toBe('ready after 3');
  });

  it('times out with the description, the deadline and the number of polls', async () => {
    const started = Date.now();
    await expect(
      waitFor(async () => false, { describe: 'run r1 to reach SUCCEEDED', timeoutMs: 200, intervalMs: 20 }),
    ).rejects.toThrow(/^timed out after 200 ms \(\d+ polls\) waiting for run r1 to reach SUCCEEDED$/);
    // the deadline is honoured, neither early nor much late
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out when a single poll hangs past the deadline', async () => {
    const hanging = () => new Promise<boolean>(() => undefined);
    await expect(waitFor(hanging, { describe: 'a hanging poll', timeoutMs: 100 })).rejects.toThrow(
      'timed out after 100 ms (1 polls) waiting for a hanging poll',
    );
  });

  it('fails fast when the predicate throws, without waiting for the deadline', async () => {
    // GIVEN a predicate that sees a terminal status
    const started = Date.now();
    const predicate = async () => {
      throw new Error('execution ended FAILED');
    };
    // THEN its error propagates at once
    await expect(waitFor(predicate, { describe: 'success', timeoutMs: 10_000 })).rejects.toThrow('execution ended FAILED');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
