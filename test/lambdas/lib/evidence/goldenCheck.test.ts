import { GoldenLineError, goldenCheck, InvalidEvidenceOptionError, parseGolden } from '../../../../lambdas/lib/evidence';
import { InexactNumberError } from '../../../../lambdas/lib/json';

const keyAttributes = ['orderId'];
const jsonl = (...items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;
const GOLDEN = jsonl(
  { orderId: 'o1', totalCents: 1999, orderDate: '2024-03-10' },
  { orderId: 'o2', totalCents: 500, address: { city: 'Oslo', zip: '0150' } },
  { orderId: 'o3', totalCents: 0 },
);

describe('parseGolden', () => {
  it('reads one item per line by its canonical key, skipping blank lines and CRLF endings', () => {
    const golden = parseGolden(`{"orderId":"o1","n":1}\r\n\n  \n{"n":2,"orderId":"o2"}`, keyAttributes);
    expect([...golden.items.values()]).toEqual([
      { line: 1, key: { orderId: 'o1' }, item: { orderId: 'o1', n: 1 } },
      { line: 4, key: { orderId: 'o2' }, item: { n: 2, orderId: 'o2' } },
    ]);
  });

  it('names the line of a bad one: not JSON, not an object, no key attribute, repeated key', () => {
    const lineError = (text: string) => {
      try {
        parseGolden(text, ['orderId', 'sk']);
      } catch (error) {
        return error;
      }
      throw new Error('parseGolden accepted a bad file');
    };
    expect(lineError('{"orderId":"o1","sk":1}\n{oops')).toMatchObject({ name: 'GoldenLineError', line: 2 });
    expect(lineError('{"orderId":"o1","sk":1}\n{oops')).toBeInstanceOf(GoldenLineError);
    expect(lineError('[1,2]')).toMatchObject({ line: 1, message: 'golden line 1: must be a JSON object (an item), got a list; fix that line of the golden file (one JSON object per line)' });
    expect(lineError('\n{"orderId":"o1"}')).toMatchObject({ line: 2, message: expect.stringContaining('lacks the key attribute "sk" (a string or number), got nothing') });
    expect(lineError('{"orderId":{"a":1},"sk":1}')).toMatchObject({ message: expect.stringContaining('lacks the key attribute "orderId" (a string or number), got {"a":1}') });
    expect(lineError('{"orderId":"o1","sk":1}\n{"sk":1,"orderId":"o1","x":2}')).toMatchObject({ line: 2, message: expect.stringContaining('repeats the key {"orderId":"o1","sk":1} of line 1') });
  });

  it('refuses a number beyond 2^53 with the strict parser rather than rounding it', () => {
    let caught: unknown;
    try {
      parseGolden('{"orderId":"o1","version":9007199254740993}', keyAttributes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ line: 1, message: expect.stringContaining('version 9007199254740993 exceeds 2^53-1') });
    expect((caught as GoldenLineError).cause).toBeInstanceOf(InexactNumberError);
  });

  it('refuses an empty key attribute list', () => {
    expect(() => parseGolden(GOLDEN, [])).toThrow(InvalidEvidenceOptionError);
  });
});

describe('goldenCheck', () => {
  const golden = parseGolden(GOLDEN, keyAttributes);

  it('passes when every golden key was produced equal to its golden item (canonically), ignoring other items', () => {
    const check = goldenCheck(golden);
    check.add({ orderDate: '2024-03-10', totalCents: 1999, orderId: 'o1' });
    check.add({ orderId: 'o2', totalCents: 500, address: { zip: '0150', city: 'Oslo' } });
    check.add({ orderId: 'o3', totalCents: 0 });
    check.add({ orderId: 'o9', totalCents: 7 });
    expect(check.result()).toEqual({ golden: 3, matched: 3, mismatched: 0, missing: 0, notGolden: 1, passed: true, mismatches: [], missingKeys: [] });
  });

  it('lists mismatches with their attribute differences, and missing keys with their lines', () => {
    const check = goldenCheck(golden);
    check.add({ orderId: 'o1', totalCents: 1998, orderDate: '2024-03-09' });
    check.add({ orderId: 'o2', totalCents: 500, address: { city: 'Bergen', zip: '0150' }, note: 'x' });
    expect(check.result()).toEqual({
      golden: 3, matched: 0, mismatched: 2, missing: 1, notGolden: 0, passed: false,
      mismatches: [
        { key: { orderId: 'o1' }, line: 1, changes: [
          { path: 'orderDate', kind: 'changed', before: '2024-03-10', after: '2024-03-09' },
          { path: 'totalCents', kind: 'changed', before: 1999, after: 1998 },
        ] },
        { key: { orderId: 'o2' }, line: 2, changes: [
          { path: 'address.city', kind: 'changed', before: 'Oslo', after: 'Bergen' },
          { path: 'note', kind: 'added', after: 'x' },
        ] },
      ],
      missingKeys: [{ key: { orderId: 'o3' }, line: 3 }],
    });
  });

  it('counts a key produced twice as a mismatch if either item differs, in whichever order they come', () => {
    const good = { orderId: 'o3', totalCents: 0 };
    const bad = { orderId: 'o3', totalCents: 1 };
    for (const order of [[good, bad], [bad, good]]) {
      const check = goldenCheck(golden);
      for (const item of order) check.add(item);
      expect(check.result()).toMatchObject({ matched: 0, mismatched: 1, missing: 2 });
    }
  });

  it('keeps at most maxSamples of each over 50,000 golden items, the smallest keys, whatever the order', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `o${String((i * 7919) % 50_000).padStart(5, '0')}`);
    const big = parseGolden(jsonl(...ids.map((orderId) => ({ orderId, n: 1 }))), keyAttributes);
    const run = (order: readonly string[]) => {
      const check = goldenCheck(big, { maxSamples: 3 });
      order.forEach((orderId, i) => { if (i % 3 !== 0) check.add({ orderId, n: i % 3 === 1 ? 1 : 2 }); });
      return check.result();
    };
    const forward = run(ids);
    expect(forward).toMatchObject({ golden: 50_000, matched: 16_667, mismatched: 16_666, missing: 16_667, passed: false });
    expect(forward.mismatches).toHaveLength(3);
    expect(forward.missingKeys.map((m) => m.key['orderId'])).toEqual(ids.filter((_, i) => i % 3 === 0).sort().slice(0, 3));
    expect(forward.mismatches.map((m) => m.key['orderId'])).toEqual(ids.filter((_, i) => i % 3 === 2).sort().slice(0, 3));
    const shuffled = ids.map((id, i) => [id, i] as const);
    const backward = goldenCheck(big, { maxSamples: 3 });
    for (const [orderId, i] of [...shuffled].reverse()) if (i % 3 !== 0) backward.add({ orderId, n: i % 3 === 1 ? 1 : 2 });
    expect(backward.result()).toEqual(forward);
  });

  it('refuses a maxSamples out of range, naming it', () => {
    expect(() => goldenCheck(golden, { maxSamples: 1.5 })).toThrow('maxSamples must be a whole number from 0 to 1000, got 1.5');
  });
});
