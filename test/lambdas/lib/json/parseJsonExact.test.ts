import { InexactNumberError, parseJsonExact } from '../../../../lambdas/lib/json';
import { parseRecords } from '../../../../lambdas/lib/worker/parseRecords';
import { orderSummaryV2 } from '../../../../lambdas/transforms';
import type { Transform } from '../../../../lambdas/transforms/Transform';

const order = (version: string) =>
  `{"orderId":"ord-1","version":${version},"customerId":"c-1","placedAt":"2024-03-09T23:30:00-08:00","currency":"USD","lines":[{"sku":"S-1","quantity":1,"unitPrice":"1.00"}]}`;

describe('parseJsonExact', () => {
  it('parses JSON as JSON.parse does, up to 2^53-1 and with fractions and exponents', () => {
    const text = '{"a":9007199254740991,"b":-9007199254740991,"c":[1.5,2e3,-0],"d":{"e":null}}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it.each([
    ['{"version":9007199254740993}', 'version 9007199254740993 exceeds 2^53-1, cannot be compared exactly'],
    ['{"version":9007199254740992}', 'version 9007199254740992 exceeds 2^53-1, cannot be compared exactly'],
    ['{"lines":[{"quantity":123456789012345678901}]}', 'quantity 123456789012345678901 exceeds 2^53-1, cannot be compared exactly'],
    ['[1,-9007199254740993]', '[1] -9007199254740993 exceeds 2^53-1, cannot be compared exactly'],
    ['{"version":1e20}', 'version 1e20 exceeds 2^53-1, cannot be compared exactly'],
  ])('refuses %s, quoting the digits as written', (text, message) => {
    expect(() => parseJsonExact(text)).toThrow(InexactNumberError);
    expect(() => parseJsonExact(text)).toThrow(message);
  });

  it('lets JSON syntax errors through as JSON.parse raises them', () => {
    expect(() => parseJsonExact('{"a":')).toThrow(SyntaxError);
  });
});

describe('parseRecords with a version beyond 2^53-1', () => {
  it('quarantines the record with the digits as written, and keeps the others', () => {
    // GIVEN a record whose version JSON.parse would round to the one of its neighbour
    const lines = [
      { line: 1, text: order('9007199254740992') },
      { line: 2, text: order('9007199254740993') },
      { line: 3, text: order('7') },
    ];
    // WHEN the batch's lines are parsed
    const { valid, malformed } = parseRecords(lines, orderSummaryV2 as Transform<unknown>);
    // THEN both unsafe versions are malformed with their own digits; the safe one is valid
    expect(malformed.map((m) => [m.line, m.reason])).toEqual([
      [1, 'version 9007199254740992 exceeds 2^53-1, cannot be compared exactly'],
      [2, 'version 9007199254740993 exceeds 2^53-1, cannot be compared exactly'],
    ]);
    expect(valid.map((v) => v.line)).toEqual([3]);
  });
});
