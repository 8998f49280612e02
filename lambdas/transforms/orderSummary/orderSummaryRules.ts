import type { OutputRule } from '../Transform';
import { isIso4217Code } from './iso4217';
import { toCents } from './money';
import type { OrderEvent } from './OrderEventSchema';
import type { OrderSummary } from './OrderSummarySchema';
import { utcDateOf } from './timestamps';

// Items reach a rule before (or instead of) the output schema, so every rule reads its attribute
// as an unknown value and says what it saw.
const seen = (value: unknown): string => (value === undefined ? 'missing' : JSON.stringify(value));

/**
 * `totalCents` is a non-negative whole number of cents, exactly Σ quantity × unitPrice − discount
 * of the source. The exact sum is what catches float money: `Math.floor(19.99 * 100)` is a
 * perfectly good integer, 1998, and still wrong.
 */
const totalCentsExact: OutputRule<OrderEvent, OrderSummary> = {
  name: 'total-cents-exact',
  attribute: 'totalCents',
  description: 'totalCents is a non-negative integer: the exact sum in cents of quantity × unitPrice over the lines, less the discount',
  check(item, order) {
    const total: unknown = item.totalCents;
    if (typeof total !== 'number' || !Number.isSafeInteger(total)) return `totalCents must be a whole number of cents, got ${seen(total)}`;
    if (total < 0) return `totalCents must not be negative, got ${total}`;
    const exact = order.lines.reduce((sum, line) => sum + line.quantity * toCents(line.unitPrice), 0) - (order.discount === undefined ? 0 : toCents(order.discount));
    return total === exact ? undefined : `totalCents is ${total}, the exact sum of the lines less the discount is ${exact} (off by ${total - exact})`;
  },
};

/** `orderDate` is the UTC calendar date of the source's `placedAt`, not its local date. */
const orderDateIsUtc: OutputRule<OrderEvent, OrderSummary> = {
  name: 'order-date-utc',
  attribute: 'orderDate',
  description: 'orderDate is the UTC calendar date of placedAt',
  check(item, order) {
    const expected = utcDateOf(order.placedAt);
    const date: unknown = item.orderDate;
    return date === expected ? undefined : `orderDate is ${seen(date)}, the UTC date of placedAt ${order.placedAt} is "${expected}"`;
  },
};

/** `currency` is an active ISO 4217 code. */
const currencyIsIso4217: OutputRule<OrderEvent, OrderSummary> = {
  name: 'currency-iso-4217',
  attribute: 'currency',
  description: 'currency is an active ISO 4217 code',
  check(item) {
    const currency: unknown = item.currency;
    return isIso4217Code(currency) ? undefined : `currency ${seen(currency)} is not an active ISO 4217 code`;
  },
};

/**
 * The invariants `order-summary@2` declares on its output, in the order the evidence lists them.
 * @example
 *   ORDER_SUMMARY_RULES.map((rule) => rule.check(item, order)); // [undefined, undefined, undefined]
 */
export const ORDER_SUMMARY_RULES: readonly OutputRule<OrderEvent, OrderSummary>[] = [totalCentsExact, orderDateIsUtc, currencyIsIso4217];
