/**
 * Money amounts in order events are decimal strings in the currency's major unit with at most two
 * fraction digits ("19.99", "5", "0.3"): never binary floats, so they can be converted to integer
 * cents exactly.
 */
export const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,6})(?:\.(\d{1,2}))?$/;

/** The largest amount {@link DECIMAL_AMOUNT} accepts, in cents (9,999,999.99). */
export const MAX_AMOUNT_CENTS = 999_999_999;

/**
 * Converts a decimal amount string to integer cents, exactly (no float arithmetic).
 * Callers pass strings that already matched {@link DECIMAL_AMOUNT} (the input schema checks it).
 * @example
 *   toCents('19.99'); // 1999
 *   toCents('0.3');   // 30
 *   toCents('5');     // 500
 */
export function toCents(amount: string): number {
  const match = DECIMAL_AMOUNT.exec(amount);
  if (!match) throw new RangeError(`not a decimal amount with at most 2 fraction digits: ${JSON.stringify(amount)}`);
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

/**
 * Formats integer cents as a decimal amount string, the inverse of {@link toCents}.
 * @example
 *   fromCents(1999); // '19.99'
 *   fromCents(30);   // '0.30'
 */
export function fromCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents - whole * 100).padStart(2, '0')}`;
}
