import { orderSummaryV1, orderSummaryV2, OrderSummarySchema, type OrderEvent } from '../../lambdas/transforms';

/** A valid order event; each test overrides what it is about. */
function order(overrides: Partial<OrderEvent> = {}): OrderEvent {
  return {
    orderId: 'ord-0001',
    version: 3,
    customerId: 'cust-00042',
    placedAt: '2024-03-09T12:00:00Z',
    currency: 'USD',
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '10.00' }],
    ...overrides,
  };
}

const lines = (...prices: string[]) => prices.map((unitPrice, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice }));
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0] as T;
};

describe('order-summary@1 (the buggy version)', () => {
  it('dates a late-evening order in a negative offset on the local day, not the UTC day (bug 2)', () => {
    // GIVEN 23:30 at -08:00 on the 9th, which is 07:30 UTC on the 10th
    const record = order({ placedAt: '2024-03-09T23:30:00-08:00' });
    // THEN v1 says the 9th and v2 the 10th
    expect(only(orderSummaryV1.apply(record)).orderDate).toBe('2024-03-09');
    expect(only(orderSummaryV2.apply(record)).orderDate).toBe('2024-03-10');
  });

  it('dates an early-morning order in a positive offset on the local day, not the UTC day (bug 2)', () => {
    const record = order({ placedAt: '2024-03-10T01:15:00+09:00' }); // 16:15 UTC on the 9th
    expect(only(orderSummaryV1.apply(record)).orderDate).toBe('2024-03-10');
    expect(only(orderSummaryV2.apply(record)).orderDate).toBe('2024-03-09');
  });

  it('loses a cent on a single $19.99 line by flooring a float (bug 1)', () => {
    const record = order({ lines: lines('19.99') });
    expect(only(orderSummaryV1.apply(record)).totalCents).toBe(1998);
    expect(only(orderSummaryV2.apply(record)).totalCents).toBe(1999);
  });

  it('loses a cent when ten $0.10 lines add up to 0.9999999999999999 (bug 1)', () => {
    const record = order({ lines: lines(...Array<string>(10).fill('0.10')) });
    expect(only(orderSummaryV1.apply(record)).totalCents).toBe(99);
    expect(only(orderSummaryV2.apply(record)).totalCents).toBe(100);
  });

  it('can produce -1 cents for a fully discounted order, which the output schema rejects (bug 1)', () => {
    const record = order({ lines: lines('0.70', '0.10'), discount: '0.80' });
    const v1 = only(orderSummaryV1.apply(record));
    expect(v1.totalCents).toBe(-1);
    expect(OrderSummarySchema.safeParse(v1).success).toBe(false);
    expect(only(orderSummaryV2.apply(record)).totalCents).toBe(0);
  });

  it('produces exactly the v2 item where neither bug bites (so the backfill can skip it)', () => {
    const record = order({ placedAt: '2024-03-09T14:05:00-05:00', lines: [{ sku: 'A', quantity: 2, unitPrice: '12.50' }, { sku: 'B', quantity: 1, unitPrice: '3.25' }] });
    expect(orderSummaryV1.apply(record)).toEqual(orderSummaryV2.apply(record));
  });
});

describe('order-summary@2', () => {
  it('maps an order event to one order summary keyed by orderId with the source version', () => {
    const record = order({
      placedAt: '2024-03-09T23:30:00-08:00',
      lines: [{ sku: 'A', quantity: 2, unitPrice: '19.99' }, { sku: 'B', quantity: 3, unitPrice: '0.5' }],
      discount: '5',
    });
    expect(orderSummaryV2.apply(record)).toEqual([
      { orderId: 'ord-0001', version: 3, customerId: 'cust-00042', orderDate: '2024-03-10', currency: 'USD', itemCount: 5, totalCents: 2*1999 + 3*50 - 500 },
    ]);
  });

  it('adds 0.1 and 0.2 to exactly 30 cents', () => {
    expect(only(orderSummaryV2.apply(order({ lines: lines('0.1', '0.2') }))).totalCents).toBe(30);
  });

  it('sums 500 lines of $0.01 x 10,000 exactly', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ sku: `S${i}`, quantity: 10_000, unitPrice: '0.01' }));
    const item = only(orderSummaryV2.apply(order({ lines: many })));
    expect(item.totalCents).toBe(5_000_000);
    expect(item.itemCount).toBe(5_000_000);
  });

  it('stays exact at the largest amounts the schema allows', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ sku: `S${i}`, quantity: 10_000, unitPrice: '9999999.99' }));
    const item = only(orderSummaryV2.apply(order({ lines: many, discount: '0.01' })));
    expect(BigInt(item.totalCents)).toBe(999_999_999n * 10_000n * 500n - 1n);
    expect(Number.isSafeInteger(item.totalCents)).toBe(true);
  });

  it('subtracts a discount in exact cents', () => {
    const record = order({ lines: lines('33.33', '33.33', '33.34'), discount: '33.33' });
    expect(only(orderSummaryV2.apply(record)).totalCents).toBe(6667);
  });

  it('gives 0 cents for a fully discounted order', () => {
    expect(only(orderSummaryV2.apply(order({ lines: lines('0.70', '0.10'), discount: '0.80' }))).totalCents).toBe(0);
  });

  it.each([
    ['2023-12-31T20:00:00-05:00', '2024-01-01', 'across a year end'],
    ['2024-02-28T23:00:00-02:00', '2024-02-29', 'into a leap day'],
    ['2024-03-01T00:30:00+01:00', '2024-02-29', 'back into a leap day'],
    ['2023-03-01T00:30:00+01:00', '2023-02-28', 'back across a non-leap February'],
    ['2024-03-09T23:59:59.999+00:00', '2024-03-09', 'at the last millisecond of a UTC day'],
    ['2024-03-09T18:29:00+05:30', '2024-03-09', 'in a half-hour offset, just before UTC midnight'],
    ['2024-03-10T00:00:00+14:00', '2024-03-09', 'at the largest positive offset'],
    ['2024-03-09T11:00:00-12:00', '2024-03-09', 'at the largest negative offset'],
  ])('dates %s as %s (%s)', (placedAt, expected) => {
    expect(only(orderSummaryV2.apply(order({ placedAt }))).orderDate).toBe(expected);
  });

  it('agrees with Date on the UTC date of every quarter hour of two days in every whole offset', () => {
    const mismatches: string[] = [];
    for (let offsetHours = -12; offsetHours <= 14; offsetHours++) {
      const offset = `${offsetHours < 0 ? '-' : '+'}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
      for (let minute = 0; minute < 2 * 1440; minute += 15) {
        const day = minute < 1440 ? '2024-02-29' : '2024-03-01';
        const m = minute % 1440;
        const placedAt = `${day}T${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00${offset}`;
        const expected = new Date(Date.parse(placedAt)).toISOString().slice(0, 10);
        const actual = only(orderSummaryV2.apply(order({ placedAt }))).orderDate;
        if (actual !== expected) mismatches.push(`${placedAt}: ${actual}, expected ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('produces items its output schema accepts', () => {
    const record = order({ placedAt: '2024-03-09T23:30:00-08:00', lines: lines('19.99', '0.01'), discount: '1.00' });
    expect(() => orderSummaryV2.outputSchema.parse(only(orderSummaryV2.apply(record)))).not.toThrow();
  });
});

describe.each([orderSummaryV1, orderSummaryV2])('$name@$version determinism', (transform) => {
  const record = order({ placedAt: '2024-03-09T23:30:00-08:00', lines: lines('19.99', '0.10', '7.25'), discount: '2.50' });

  it('gives deep-equal output for the same input, call after call', () => {
    const first = transform.apply(record);
    for (let i = 0; i < 5; i++) expect(transform.apply(structuredClone(record))).toEqual(first);
  });

  it('keeps no state between calls (other records in between change nothing)', () => {
    const first = transform.apply(record);
    transform.apply(order({ orderId: 'other', lines: lines('1.00'), discount: '1.00' }));
    expect(transform.apply(record)).toEqual(first);
  });

  it('does not read the clock', () => {
    jest.useFakeTimers();
    try {
      jest.setSystemTime(new Date('2001-01-01T00:00:00Z'));
      const then = transform.apply(record);
      jest.setSystemTime(new Date('2099-12-31T23:59:59Z'));
      expect(transform.apply(record)).toEqual(then);
    } finally {
      jest.useRealTimers();
    }
  });

  it('does not mutate its input', () => {
    const frozen = structuredClone(record);
    for (const line of frozen.lines) Object.freeze(line);
    Object.freeze(frozen.lines);
    Object.freeze(frozen);
    expect(() => transform.apply(frozen)).not.toThrow();
    expect(frozen).toEqual(record);
  });

  it('returns fresh items (mutating one result does not leak into the next)', () => {
    const first = transform.apply(record);
    (first[0] as Record<string, unknown>).totalCents = 0;
    expect(transform.apply(record)[0]?.totalCents).not.toBe(0);
  });
});
