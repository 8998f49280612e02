import { BreakerConfigurationError } from './errors';

/**
 * The breaker's auto-close delay from `BREAKER_AUTO_CLOSE_SECONDS` (whole seconds ≥ 0).
 * @returns undefined when unset: only an operator closes the breaker
 * @throws BreakerConfigurationError when it is set to anything else
 * @example
 *   autoCloseAfterSecondsFrom({ BREAKER_AUTO_CLOSE_SECONDS: '300' }); // 300
 */
export function autoCloseAfterSecondsFrom(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.BREAKER_AUTO_CLOSE_SECONDS;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new BreakerConfigurationError(raw);
  return Number(raw.trim());
}
