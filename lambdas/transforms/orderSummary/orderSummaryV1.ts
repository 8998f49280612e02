import type { Transform } from '../Transform';
import { OrderEventSchema, type OrderEvent } from './OrderEventSchema';
import { OrderSummarySchema, type OrderSummary } from './OrderSummarySchema';

/**
 * `order-summary@1`: the version that shipped with two bugs, kept (and registered) so the demo can
 * show what the backfill repairs. Do not use it for new data; `order-summary@2` fixes both.
 *
 * - **Bug 1, money as floats.** Unit prices are parsed into binary floating-point dollars, summed,
 *   and the total is turned into cents with `Math.floor(total * 100)`. Binary floats cannot hold
 *   most cent amounts exactly (19.99 is 19.989999999999998...), and flooring turns the tiny error
 *   into a whole cent: `1 × "19.99"` gives 1998 cents instead of 1999. A fully discounted order
 *   can even come out at -1 cent.
 * - **Bug 2, local date.** `orderDate` is the calendar date as written in the timestamp, i.e. in
 *   the customer's own UTC offset, not the UTC date the reports use: an order placed at
 *   `2024-03-09T23:30:00-08:00` (07:30 UTC on the 10th) is dated the 9th.
 *
 * Where neither bug bites, its item is identical to `order-summary@2`'s.
 *
 * @example
 *   orderSummaryV1.apply(order); // [{ ..., orderDate: '2024-03-09', totalCents: 1998 }] (wrong)
 */
export const orderSummaryV1: Transform<OrderEvent, OrderSummary> = {
  name: 'order-summary',
  version: 1,
  description: 'Order summary per order (BUGGY: float money truncated to cents, local instead of UTC date); superseded by order-summary@2',
  inputSchema: OrderEventSchema,
  outputSchema: OrderSummarySchema,
  apply(order) {
    // BUG 1: float dollars, summed, then truncated (not rounded) to cents.
    const totalDollars =
      order.lines.reduce((sum, line) => sum + line.quantity * parseFloat(line.unitPrice), 0) - parseFloat(order.discount ?? '0');
    return [
      {
        orderId: order.orderId,
        version: order.version,
        customerId: order.customerId,
        // BUG 2: the date in the timestamp's own offset, not in UTC.
        orderDate: order.placedAt.slice(0, 10),
        currency: order.currency,
        itemCount: order.lines.reduce((count, line) => count + line.quantity, 0),
        totalCents: Math.floor(totalDollars * 100),
      },
    ];
  },
};
