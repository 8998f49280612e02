import { z } from 'zod';
import { DECIMAL_AMOUNT, fromCents, toCents } from './money';
import { timestampProblem } from './timestamps';

/** Limits that keep every total an exact integer in a JS number (and a DynamoDB number). */
export const ORDER_LIMITS = { maxLines: 500, maxQuantity: 10_000 } as const;

const AMOUNT_RULE = 'a decimal string with at most 2 fraction digits and no sign, e.g. "19.99" (at most "9999999.99")';

/** `error` option for a field: says "is required" when absent, `rule` otherwise; both name the field. */
function fieldError(field: string, rule: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required (${rule})` : `${field} must be ${rule}`);
}

const nonEmptyString = (field: string, max: number) =>
  z
    .string({ error: fieldError(field, `a non-empty string of at most ${max} characters`) })
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);

const amount = (field: string) => z.string({ error: fieldError(field, AMOUNT_RULE) }).regex(DECIMAL_AMOUNT, `${field} must be ${AMOUNT_RULE}`);

const wholeNumber = (field: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
  const rule = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  // Beyond 2^53-1 a number is no longer exact (JSON parsing has already rounded it): say so, once.
  const unsafe = (issue: { input?: unknown }) =>
    typeof issue.input === 'number' && Number.isInteger(issue.input) && !Number.isSafeInteger(issue.input)
      ? `${field} ${issue.input} exceeds 2^53-1, cannot be compared exactly`
      : `${field} must be ${rule}`;
  return z
    .number({ error: fieldError(field, rule) })
    .int({ error: unsafe, abort: true })
    .min(min, `${field} must be ${rule}`)
    .max(max, { error: unsafe });
};

/** Names every unknown field of a strict object (zod's own message does not say what to do). */
function unknownFields(where: string) {
  return (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? `${where} has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; remove ${issue.keys.length === 1 ? 'it' : 'them'} or check the spelling`
      : `${where} must be a JSON object`;
}

/** One order line: a SKU, how many, and the unit price as a decimal string. */
export const OrderLineSchema = z
  .object({
    sku: nonEmptyString('sku', 64),
    quantity: wholeNumber('quantity', 1, ORDER_LIMITS.maxQuantity),
    unitPrice: amount('unitPrice'),
  }, { error: unknownFields('an order line') })
  .strict();

/**
 * The source record of the demo: one order event, one JSON object per line of a JSONL object.
 * Strict: unknown fields are rejected. Every message names the field it is about.
 * `discount` is an order-level amount subtracted from the sum of the lines; it may not exceed it.
 * Amounts are in the currency's major unit with at most two fraction digits.
 *
 * @example
 *   OrderEventSchema.parse({
 *     orderId: 'ord-1f3a9c2e', version: 1, customerId: 'cust-00042',
 *     placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD',
 *     lines: [{ sku: 'SKU-1001', quantity: 2, unitPrice: '19.99' }],
 *     discount: '5.00',
 *   });
 */
export const OrderEventSchema = z
  .object({
    orderId: nonEmptyString('orderId', 128),
    version: wholeNumber('version', 1),
    customerId: nonEmptyString('customerId', 128),
    placedAt: z
      .string({ error: fieldError('placedAt', 'an ISO-8601 timestamp with a UTC offset, e.g. "2024-03-09T23:30:00-08:00"') })
      .superRefine((value, ctx) => {
        const problem = timestampProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `placedAt ${problem}` });
      }),
    currency: z
      .string({ error: fieldError('currency', 'a 3-letter ISO-4217 code in capitals, e.g. "USD"') })
      .regex(/^[A-Z]{3}$/, 'currency must be a 3-letter ISO-4217 code in capitals, e.g. "USD"'),
    lines: z
      .array(OrderLineSchema, { error: fieldError('lines', `an array of 1 to ${ORDER_LIMITS.maxLines} order lines`) })
      .min(1, 'lines must hold at least one order line')
      .max(ORDER_LIMITS.maxLines, `lines must hold at most ${ORDER_LIMITS.maxLines} order lines`),
    discount: amount('discount').optional(),
  }, { error: unknownFields('an order event') })
  .strict()
  .superRefine((order, ctx) => {
    if (order.discount === undefined) return;
    const subtotal = order.lines.reduce((sum, line) => sum + line.quantity * toCents(line.unitPrice), 0);
    if (toCents(order.discount) > subtotal) {
      ctx.addIssue({
        code: 'custom',
        path: ['discount'],
        message: `discount must not exceed the sum of the lines (${order.discount} > ${fromCents(subtotal)})`,
      });
    }
  }, { when: (payload) => payload.issues.length === 0 }); // only once every field is valid

/** A validated order event. */
export type OrderEvent = z.infer<typeof OrderEventSchema>;
