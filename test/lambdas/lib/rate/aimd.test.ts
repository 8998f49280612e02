import { DEFAULT_AIMD_RULE, nextConcurrency, type AimdState } from '../../../../lambdas/lib/rate';

const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const state = (fields: Partial<AimdState> = {}): AimdState => ({ concurrency: 8, maxConcurrency: 8, createdAt: at(0), ...fields });

describe('nextConcurrency (the AIMD rule)', () => {
  it('halves on throttles, rounding down', () => {
    expect(nextConcurrency(state(), { throttles: 3, at: at(1) })).toEqual({ to: 4, why: '3 throttled requests in a batch: halved' });
    expect(nextConcurrency(state({ concurrency: 5 }), { throttles: 1, at: at(1) })).toEqual({ to: 2, why: '1 throttled request in a batch: halved' });
  });

  it('never goes below 1 (0 would mean unlimited)', () => {
    expect(nextConcurrency(state({ concurrency: 1 }), { throttles: 9, at: at(1) })).toBeUndefined();
    expect(nextConcurrency(state({ concurrency: 2 }), { throttles: 9, at: at(1) })?.to).toBe(1);
    expect(nextConcurrency(state({ concurrency: 3 }), { throttles: 9, at: at(1) })?.to).toBe(1);
  });

  it('halves at most once per cooldown', () => {
    const halved = state({ concurrency: 4, lastDecreaseAt: at(100), lastChangeAt: at(100) });
    expect(nextConcurrency(halved, { throttles: 2, at: at(109.999) })).toBeUndefined();
    expect(nextConcurrency(halved, { throttles: 2, at: at(110) })?.to).toBe(2);
  });

  it('halves soon after a rise that brought throttles back (the cooldown counts from the last halving)', () => {
    const raised = state({ concurrency: 5, lastDecreaseAt: at(0), lastChangeAt: at(200) });
    expect(nextConcurrency(raised, { throttles: 1, at: at(201) })?.to).toBe(2);
  });

  it('raises by one after a healthy interval since the last throttle and the last change, up to maxConcurrency', () => {
    const low = state({ concurrency: 2, lastChangeAt: at(100), lastDecreaseAt: at(100), lastThrottleAt: at(110) });
    expect(nextConcurrency(low, { throttles: 0, at: at(139) })).toBeUndefined();
    expect(nextConcurrency(low, { throttles: 0, at: at(140) })).toEqual({ to: 3, why: 'no throttle for 30s: one more' });
    expect(nextConcurrency(state({ lastChangeAt: at(0) }), { throttles: 0, at: at(1000) })).toBeUndefined();
  });

  it('takes its timing from the rule', () => {
    const rule = { decreaseCooldownSeconds: 1, increaseIntervalSeconds: 2 };
    const low = state({ concurrency: 2, lastChangeAt: at(10), lastDecreaseAt: at(10) });
    expect(nextConcurrency(low, { throttles: 0, at: at(12) }, rule)?.to).toBe(3);
    expect(nextConcurrency(low, { throttles: 1, at: at(11) }, rule)?.to).toBe(1);
    expect(DEFAULT_AIMD_RULE).toEqual({ decreaseCooldownSeconds: 10, increaseIntervalSeconds: 30 });
  });
});
