/** The AIMD controller's timing: how often it may halve, and how long a run must stay healthy to gain one. */
export interface AimdRule {
  /** At most one halving per this many seconds (the throttles of one burst all land within it). */
  readonly decreaseCooldownSeconds: number;
  /** Seconds without a throttle, and since the last change, before the concurrency rises by one. */
  readonly increaseIntervalSeconds: number;
}

export const DEFAULT_AIMD_RULE: AimdRule = { decreaseCooldownSeconds: 10, increaseIntervalSeconds: 30 };

/** What the controller knows when a batch reports (times ISO 8601). */
export interface AimdState {
  readonly concurrency: number;
  readonly maxConcurrency: number;
  readonly createdAt: string;
  readonly lastChangeAt?: string;
  readonly lastDecreaseAt?: string;
  readonly lastThrottleAt?: string;
}

export interface ConcurrencyDecision {
  readonly to: number;
  readonly why: string;
}

const ms = (iso: string | undefined): number => (iso === undefined ? Number.NEGATIVE_INFINITY : Date.parse(iso));

/**
 * The AIMD rule: a batch that saw throttles halves the concurrency (rounded down, never below 1:
 * 0 would mean unlimited to UpdateMapRun), at most once per cooldown; a healthy batch, once the run
 * has seen no throttle and no change for the increase interval, raises it by one, up to the spec's
 * maxConcurrency. Undefined: no change.
 *
 * @example
 *   nextConcurrency({ concurrency: 8, maxConcurrency: 8, createdAt }, { throttles: 3, at }); // { to: 4, why: '3 throttled requests: halved' }
 */
export function nextConcurrency(state: AimdState, report: { readonly throttles: number; readonly at: string }, rule: AimdRule = DEFAULT_AIMD_RULE): ConcurrencyDecision | undefined {
  const at = ms(report.at);
  const { concurrency, maxConcurrency } = state;
  if (report.throttles > 0) {
    if (concurrency <= 1 || at - ms(state.lastDecreaseAt) < rule.decreaseCooldownSeconds * 1000) return undefined;
    const plural = report.throttles === 1 ? '' : 's';
    return { to: Math.max(1, Math.floor(concurrency / 2)), why: `${report.throttles} throttled request${plural} in a batch: halved` };
  }
  if (concurrency >= maxConcurrency) return undefined;
  const quietSince = Math.max(ms(state.createdAt), ms(state.lastChangeAt), ms(state.lastThrottleAt));
  if (at - quietSince < rule.increaseIntervalSeconds * 1000) return undefined;
  return { to: concurrency + 1, why: `no throttle for ${rule.increaseIntervalSeconds}s: one more` };
}
