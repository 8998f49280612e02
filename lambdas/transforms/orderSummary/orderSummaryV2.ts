import type { Transform } from '../Transform';
import { toCents } from './money';
import { OrderEventSchema, type OrderEvent } from './OrderEventSchema';
import { OrderSummarySchema, type OrderSummary } from './OrderSummarySchema';
import { ORDER_SUMMARY_RULES } from './orderSummaryRules';
import { utcDateOf } from './timestamps';

/**
 * `order-summary@2`: one order summary per order event, the fix of `order-summary@1`.
 *
 * - `totalCents` is summed exactly in integer cents from the decimal strings
 *   (Σ quantity × unitPrice − discount); no floating-point arithmetic touches money.
 * - `orderDate` is the UTC calendar date of `placedAt`.
 * - It declares both as {@link ORDER_SUMMARY_RULES}, with the currency being ISO 4217.
 *
 * Pure and deterministic: no clock, no randomness, no I/O, no state between calls; the item's
 * `version` is the order event's version.
 *
 * @example
 *   orderSummaryV2.apply({
 *     orderId: 'ord-1f3a9c2e', version: 1, customerId: 'cust-00042',
 *     placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD',
 *     lines: [{ sku: 'SKU-1001', quantity: 1, unitPrice: '19.99' }],
 *   });
 *   // [{ orderId: 'ord-1f3a9c2e', version: 1, customerId: 'cust-00042', orderDate: '2024-03-10',
 *   //    currency: 'USD', itemCount: 1, totalCents: 1999 }]
 */
export const orderSummaryV2: Transform<OrderEvent, OrderSummary> = {
  name: 'order-summary',
  version: 2,
  description: 'Order summary per order: exact integer-cent total (lines less discount) and the UTC order date',
  inputSchema: OrderEventSchema,
  outputSchema: OrderSummarySchema,
  rules: ORDER_SUMMARY_RULES,
  apply(order) {
    const subtotalCents = order.lines.reduce((sum, line) => sum + line.quantity * toCents(line.unitPrice), 0);
    return [
      {
        orderId: order.orderId,
        version: order.version,
        customerId: order.customerId,
        orderDate: utcDateOf(order.placedAt),
        currency: order.currency,
        itemCount: order.lines.reduce((count, line) => count + line.quantity, 0),
        totalCents: subtotalCents - (order.discount === undefined ? 0 : toCents(order.discount)),
      },
    ];
  },
};
