import { OrderEventSchema } from '../../lambdas/transforms';

const valid = {
  orderId: 'ord-1f3a9c2e',
  version: 1,
  customerId: 'cust-00042',
  placedAt: '2024-03-09T23:30:00-08:00',
  currency: 'USD',
  lines: [
    { sku: 'SKU-1001', quantity: 2, unitPrice: '19.99' },
    { sku: 'SKU-2002', quantity: 1, unitPrice: '0.5' },
  ],
  discount: '5.00',
};

/** The issues of a rejected record as `path: message` strings. */
function problems(record: unknown): string[] {
  const result = OrderEventSchema.safeParse(record);
  expect(result.success).toBe(false);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const withLine = (line: Record<string, unknown>) => ({ ...valid, lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '1.00', ...line }] });
const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));

describe('OrderEventSchema', () => {
  it('accepts a valid order event unchanged', () => {
    expect(OrderEventSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ['Z', '2024-03-10T07:30:00Z'],
    ['+00:00', '2024-03-10T07:30:00+00:00'],
    ['fractional seconds', '2024-03-10T07:30:00.123456+05:30'],
    ['a leap day', '2024-02-29T12:00:00-03:00'],
  ])('accepts a timestamp with %s', (_, placedAt) => {
    expect(OrderEventSchema.safeParse({ ...valid, placedAt }).success).toBe(true);
  });

  it('accepts an order without a discount, and a discount equal to the lines', () => {
    expect(OrderEventSchema.safeParse(without('discount')).success).toBe(true);
    expect(OrderEventSchema.safeParse({ ...valid, discount: '40.48' }).success).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['a missing orderId', without('orderId'), 'orderId: orderId is required'],
    ['an empty orderId', { ...valid, orderId: '' }, 'orderId: orderId must not be empty'],
    ['a numeric orderId', { ...valid, orderId: 42 }, 'orderId: orderId must be a non-empty string'],
    ['version 0', { ...valid, version: 0 }, 'version: version must be a whole number of at least 1'],
    ['a fractional version', { ...valid, version: 1.5 }, 'version: version must be a whole number'],
    ['a version beyond 2^53-1', { ...valid, version: 2 ** 53 }, 'version: version 9007199254740992 exceeds 2^53-1, cannot be compared exactly'],
    ['a missing customerId', without('customerId'), 'customerId: customerId is required'],
    ['a timestamp without offset', { ...valid, placedAt: '2024-03-09T23:30:00' }, 'placedAt: placedAt must end with a UTC offset'],
    ['a date without time', { ...valid, placedAt: '2024-03-09' }, 'placedAt: placedAt must be an ISO-8601 timestamp'],
    ['a timestamp without seconds', { ...valid, placedAt: '2024-03-09T23:30-08:00' }, 'placedAt: placedAt must be an ISO-8601 timestamp'],
    ['February 30th', { ...valid, placedAt: '2024-02-30T10:00:00Z' }, 'placedAt: placedAt is not a real calendar date'],
    ['February 29th of a common year', { ...valid, placedAt: '2023-02-29T10:00:00Z' }, 'placedAt: placedAt is not a real calendar date'],
    ['hour 24', { ...valid, placedAt: '2024-03-09T24:00:00Z' }, 'placedAt: placedAt is not a real time of day'],
    ['offset -15:00', { ...valid, placedAt: '2024-03-09T10:00:00-15:00' }, 'placedAt: placedAt has an impossible UTC offset'],
    ['a lower-case currency', { ...valid, currency: 'usd' }, 'currency: currency must be a 3-letter ISO-4217 code'],
    ['no lines', { ...valid, lines: [], discount: undefined }, 'lines: lines must hold at least one order line'],
    ['lines not an array', { ...valid, lines: 'SKU-1' }, 'lines: lines must be an array'],
    ['a negative quantity', withLine({ quantity: -2 }), 'lines.0.quantity: quantity must be a whole number from 1 to 10000'],
    ['a fractional quantity', withLine({ quantity: 1.5 }), 'lines.0.quantity: quantity must be a whole number from 1 to 10000'],
    ['a quantity as a string', withLine({ quantity: '2' }), 'lines.0.quantity: quantity must be a whole number'],
    ['a unit price as a float', withLine({ unitPrice: 19.99 }), 'lines.0.unitPrice: unitPrice must be a decimal string'],
    ['a unit price with 3 fraction digits', withLine({ unitPrice: '19.999' }), 'lines.0.unitPrice: unitPrice must be a decimal string'],
    ['a negative unit price', withLine({ unitPrice: '-1.00' }), 'lines.0.unitPrice: unitPrice must be a decimal string'],
    ['a unit price with a leading zero', withLine({ unitPrice: '01.00' }), 'lines.0.unitPrice: unitPrice must be a decimal string'],
    ['a missing sku', { ...valid, lines: [{ quantity: 1, unitPrice: '1.00' }], discount: undefined }, 'lines.0.sku: sku is required'],
    ['a discount as a number', { ...valid, discount: 5 }, 'discount: discount must be a decimal string'],
    ['a discount above the lines', { ...valid, discount: '40.49' }, 'discount: discount must not exceed the sum of the lines (40.49 > 40.48)'],
    ['an unknown field', { ...valid, total: 40.48 }, ': an order event has unknown field "total"; remove it'],
    ['an unknown line field', withLine({ price: '1.00' }), 'lines.0: an order line has unknown field "price"; remove it'],
    ['null', null, ': an order event must be a JSON object'],
    ['an array', [valid], ': an order event must be a JSON object'],
  ])('rejects %s, naming the field', (_, record, expected) => {
    expect(problems(record)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('names every bad field of a record at once', () => {
    const record = { ...valid, orderId: undefined, version: -1, lines: [{ sku: 'S', quantity: 0, unitPrice: '1' }] };
    expect(problems(record).map((p) => p.split(':')[0])).toEqual(['orderId', 'version', 'lines.0.quantity']);
  });

  it('does not judge the discount while a line is invalid', () => {
    // GIVEN a bad unit price, the discount check (which needs the prices) must not run or throw
    expect(problems({ ...valid, lines: [{ sku: 'S', quantity: 1, unitPrice: 'abc' }], discount: '999.00' })).toEqual([
      expect.stringMatching(/^lines\.0\.unitPrice: /),
    ]);
  });
});
