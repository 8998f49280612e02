import { systemTimers } from '../../../local/engine';

describe('systemTimers', () => {
  afterEach(() => jest.useRealTimers());

  it('fires a wait longer than the longest Node timer (2^31-1 ms) at its time, not at once', () => {
    // GIVEN faked global timers and a 30-day wait
    jest.useFakeTimers();
    const fired: number[] = [];
    systemTimers.setTimer(30 * 86_400_000, () => fired.push(Date.now()));
    // WHEN 29 days pass, then one more
    jest.advanceTimersByTime(29 * 86_400_000);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(86_400_000);
    // THEN it fired once
    expect(fired).toHaveLength(1);
  });

  it('does not fire once cancelled, even mid-chain', () => {
    jest.useFakeTimers();
    let fired = false;
    const cancel = systemTimers.setTimer(30 * 86_400_000, () => (fired = true));
    jest.advanceTimersByTime(26 * 86_400_000);
    cancel();
    jest.advanceTimersByTime(10 * 86_400_000);
    expect(fired).toBe(false);
  });
});
