import { z } from 'zod';

/**
 * The target item of the demo: one order summary per order, keyed by `orderId`, with `version`
 * the version of the order event it derives from. Both versions of `order-summary` produce this
 * shape, so an item the bug did not affect is byte-for-byte the same under either and the backfill
 * can skip it.
 *
 * @example
 *   OrderSummarySchema.parse({
 *     orderId: 'ord-1f3a9c2e', version: 1, customerId: 'cust-00042', orderDate: '2024-03-10',
 *     currency: 'USD', itemCount: 2, totalCents: 3498,
 *   });
 */
export const OrderSummarySchema = z
  .object({
    orderId: z.string().min(1),
    version: z.number().int().min(1),
    customerId: z.string().min(1),
    /** The UTC calendar date the order was placed. */
    orderDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'orderDate must be a date YYYY-MM-DD'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be a 3-letter code'),
    /** Units ordered: the sum of the lines' quantities. */
    itemCount: z.number().int().min(1, 'itemCount must be at least 1'),
    /** Sum of quantity × unit price over the lines, less the discount, in integer cents. */
    totalCents: z.number().int('totalCents must be a whole number of cents').min(0, 'totalCents must not be negative'),
  })
  .strict();

/** An order summary item. */
export type OrderSummary = z.infer<typeof OrderSummarySchema>;
