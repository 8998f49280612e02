import {
  ORDER_SUMMARY_RULES, OrderEventSchema, isIso4217Code, orderSummaryV1, orderSummaryV2, type OrderEvent, type OrderSummary,
} from '../../lambdas/transforms';
import { checkRules } from '../../lambdas/lib/validation';
import { generateDemoDataset } from '../../local/demo';

/** A valid order event; each test overrides what it is about. */
function order(overrides: Partial<OrderEvent> = {}): OrderEvent {
  return {
    orderId: 'ord-0001', version: 1, customerId: 'cust-00042', placedAt: '2024-03-09T12:00:00Z', currency: 'USD',
    lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: '10.00' }],
    ...overrides,
  };
}

const rule = (name: string) => {
  const found = ORDER_SUMMARY_RULES.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
};
const v2Item = (record: OrderEvent): OrderSummary => orderSummaryV2.apply(record)[0]!;

/** The valid order events of a demo dataset (malformed lines are the parser's business, not the rules'). */
function demoOrders(records: number): { orders: OrderEvent[]; stats: ReturnType<ReturnType<typeof generateDemoDataset>['collect']>['stats'] } {
  const { objects, stats } = generateDemoDataset({ records }).collect();
  const orders: OrderEvent[] = [];
  for (const { body } of objects) {
    for (const line of body.split('\n').filter((l) => l !== '')) {
      let json: unknown;
      try { json = JSON.parse(line); } catch { continue; }
      const parsed = OrderEventSchema.safeParse(json);
      if (parsed.success) orders.push(parsed.data);
    }
  }
  return { orders, stats };
}

function checkAll(transform: typeof orderSummaryV1, orders: readonly OrderEvent[]) {
  // v1 declares no rules: v2's rules state what correct output is, whichever version produced it.
  const checker = checkRules({ name: transform.name, version: transform.version, rules: ORDER_SUMMARY_RULES }, { keyAttributes: ['orderId'], maxSamples: 5 });
  for (const record of orders) for (const item of transform.apply(record)) checker.add(item, record);
  return checker.result();
}

describe('order-summary@2 rules', () => {
  it('are declared by order-summary@2, one per invariant, and order-summary@1 declares none', () => {
    expect(orderSummaryV2.rules?.map((r) => [r.name, r.attribute])).toEqual([
      ['total-cents-exact', 'totalCents'], ['order-date-utc', 'orderDate'], ['currency-iso-4217', 'currency'],
    ]);
    expect(orderSummaryV1.rules).toBeUndefined();
  });

  it("catch every item order-summary@1 got wrong on the demo's planted cases, and pass every order-summary@2 item", () => {
    // GIVEN the demo dataset, whose stats count the float-money and local-date cases it planted
    const { orders, stats } = demoOrders(3000);
    expect(orders).toHaveLength(stats.valid);
    expect(stats.v1WrongTotal).toBeGreaterThan(0);
    expect(stats.v1WrongDate).toBeGreaterThan(0);
    // WHEN the rules check what v1 produced and what v2 produces
    const v1 = checkAll(orderSummaryV1, orders);
    const v2 = checkAll(orderSummaryV2, orders);
    // THEN each rule catches exactly the planted cases of its bug in v1, and v2 passes them all
    const violations = (result: typeof v1) => Object.fromEntries(result.rules.map((r) => [r.name, r.violations]));
    expect(violations(v1)).toEqual({ 'total-cents-exact': stats.v1WrongTotal, 'order-date-utc': stats.v1WrongDate, 'currency-iso-4217': 0 });
    expect(v1.itemsViolating).toBe(stats.v1Wrong);
    expect(v1.passed).toBe(false);
    expect(violations(v2)).toEqual({ 'total-cents-exact': 0, 'order-date-utc': 0, 'currency-iso-4217': 0 });
    expect(v2.passed).toBe(true);
    expect(v2.rules.every((r) => r.checked === stats.valid)).toBe(true);
  });

  it('total-cents-exact: catches the cent float money loses, a negative total and a fractional total', () => {
    const record = order({ lines: [{ sku: 'A', quantity: 1, unitPrice: '19.99' }] });
    expect(rule('total-cents-exact').check(orderSummaryV1.apply(record)[0]!, record)).toBe(
      'totalCents is 1998, the exact sum of the lines less the discount is 1999 (off by -1)',
    );
    const discounted = order({ lines: [{ sku: 'A', quantity: 1, unitPrice: '0.70' }, { sku: 'B', quantity: 1, unitPrice: '0.10' }], discount: '0.80' });
    expect(rule('total-cents-exact').check(orderSummaryV1.apply(discounted)[0]!, discounted)).toBe('totalCents must not be negative, got -1');
    expect(rule('total-cents-exact').check({ ...v2Item(record), totalCents: 1998.5 }, record)).toBe('totalCents must be a whole number of cents, got 1998.5');
    expect(rule('total-cents-exact').check(v2Item(record), record)).toBeUndefined();
    expect(rule('total-cents-exact').check(v2Item(discounted), discounted)).toBeUndefined();
  });

  it('order-date-utc: catches the local date of a late-evening order west of UTC', () => {
    const record = order({ placedAt: '2024-03-09T23:30:00-08:00' });
    expect(rule('order-date-utc').check(orderSummaryV1.apply(record)[0]!, record)).toBe(
      'orderDate is "2024-03-09", the UTC date of placedAt 2024-03-09T23:30:00-08:00 is "2024-03-10"',
    );
    expect(rule('order-date-utc').check(v2Item(record), record)).toBeUndefined();
  });

  it('currency-iso-4217: accepts active codes and refuses made-up, lower-case and missing ones', () => {
    const record = order();
    expect(['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY', 'CHF'].every(isIso4217Code)).toBe(true);
    expect(rule('currency-iso-4217').check(v2Item(record), record)).toBeUndefined();
    expect(rule('currency-iso-4217').check({ ...v2Item(record), currency: 'ABC' }, record)).toBe('currency "ABC" is not an active ISO 4217 code');
    expect(rule('currency-iso-4217').check({ ...v2Item(record), currency: 'usd' }, record)).toBe('currency "usd" is not an active ISO 4217 code');
    const { currency: _dropped, ...withoutCurrency } = v2Item(record);
    expect(rule('currency-iso-4217').check(withoutCurrency as OrderSummary, record)).toBe('currency missing is not an active ISO 4217 code');
  });
});
