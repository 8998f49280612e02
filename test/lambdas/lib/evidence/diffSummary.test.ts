import { DiffSummarySchema, ExactSum, GoldenDiff, InvalidEvidenceOptionError, type DiffSummary } from '../../../../lambdas/lib/evidence';

type Item = Record<string, unknown>;

/** A small deterministic PRNG (mulberry32), so the items are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Pre-image → intended pairs of every kind the diff handles: created items, unchanged ones,
 * attributes added and removed, nested maps in another key order, long values (cut for display),
 * decimals and integers beyond 2^53, stamps, and keys repeated in different parts (ties on the key).
 */
function pairs(count: number): [Item, Item | undefined, Item][] {
  const random = prng(7);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const key = { id: `k${String(Math.floor(random() * count * 0.8)).padStart(5, '0')}` };
    const before: Item = { ...key, n: pick([1, 2, 3, 0.1, 2 ** 53 + 2, -0.25]), tag: pick(['a', 'b', 'x'.repeat(300)]), meta: { b: i % 3, a: [1, 2] }, backfillRunId: 'old' };
    if (random() < 0.3) before['gone'] = pick(['soon', 'y'.repeat(400)]);
    const after: Item = { ...key, n: pick([1, 2, 0.2, 2 ** 53 + 4]), tag: pick(['a', 'b', 'z'.repeat(200)]), meta: { a: [1, 2], b: pick([0, 1, 2]) }, backfillRunId: 'new' };
    if (random() < 0.3) after['added'] = pick([true, { deep: 'z'.repeat(200) }]);
    if (random() < 0.1) return [key, undefined, after];
    if (random() < 0.1) return [key, before, { ...before, backfillRunId: 'new' }];
    return [key, before, after];
  });
}

const options = { maxSamples: 7, ignoredAttributes: ['backfillRunId'] };
/** As a batch record carries a summary and ValidateStage reads it back. */
const storedAndRead = (summary: DiffSummary): DiffSummary => DiffSummarySchema.parse(JSON.parse(JSON.stringify(summary)));

describe('GoldenDiff summaries', () => {
  it('merge to exactly the diff of all the items, whatever the parts and their order', () => {
    // GIVEN 3,000 pairs diffed at once
    const all = pairs(3000);
    const whole = new GoldenDiff(options);
    for (const [key, before, after] of all) whole.add(key, before, after);
    // WHEN they are diffed in parts of uneven sizes, each part stored as a summary, and the summaries merged in reverse
    const cuts = [0, 1, 17, 400, 1999, 2001, 3000];
    const summaries = cuts.slice(1).map((end, i) => {
      const part = new GoldenDiff(options);
      for (const [key, before, after] of all.slice(cuts[i], end)) part.add(key, before, after);
      return storedAndRead(part.summary());
    });
    const merged = new GoldenDiff(options);
    for (const summary of summaries.reverse()) merged.merge(summary);
    // THEN the result is the same, samples (cut ones included), exact sums and counts alike
    expect(JSON.stringify(merged.result())).toBe(JSON.stringify(whole.result()));
    const result = whole.result();
    expect(result.attributes.map((a) => a.attribute)).toEqual(['added', 'gone', 'id', 'meta', 'n', 'tag']);
    expect(result.attributes.find((a) => a.attribute === 'tag')!.samples.some((s) => String(s.before).endsWith('… (300 chars)'))).toBe(true);
    expect(typeof result.attributes.find((a) => a.attribute === 'n')!.shift!.before).toBe('string');
  });

  it('orders cut samples of different parts by their whole values, not by what is shown of them', () => {
    // GIVEN one key in two parts, its values alike in their first 200 characters: shown cut, they
    // would order by their lengths ("201 chars" < "210 chars"), whole by their text ('a' < 'b')
    const first = { id: 'k', tag: `${'x'.repeat(200)}b` };
    const second = { id: 'k', tag: `${'x'.repeat(200)}${'a'.repeat(10)}` };
    const parts = [first, second].map((before) => {
      const part = new GoldenDiff({ maxSamples: 1 });
      part.add({ id: 'k' }, before, { id: 'k', tag: 'new' });
      return storedAndRead(part.summary());
    });
    const merged = new GoldenDiff({ maxSamples: 1 });
    for (const part of parts) merged.merge(part);
    // THEN the merged diff keeps the sample the whole diff keeps
    const whole = new GoldenDiff({ maxSamples: 1 });
    whole.add({ id: 'k' }, first, { id: 'k', tag: 'new' });
    whole.add({ id: 'k' }, second, { id: 'k', tag: 'new' });
    expect(merged.result()).toEqual(whole.result());
    expect(String(whole.result().attributes[1]!.samples[0]!.before)).toContain('(210 chars)');
  });

  it('stores a sample\'s sort key only when a value was cut (the sample alone cannot order it then)', () => {
    const diff = new GoldenDiff({ maxSamples: 5 });
    diff.add({ id: 'a' }, { id: 'a', short: 1, long: 'x'.repeat(500) }, { id: 'a', short: 2, long: 'y'.repeat(500) });
    const [long, short] = diff.summary().attributes.filter((a) => a.attribute !== 'id');
    expect(long!.samples[0]!.sortKey).toBe(`{"id":"a"}\u0000"${'x'.repeat(500)}"\u0000"${'y'.repeat(500)}"`);
    expect(short!.samples[0]).toEqual({ key: { id: 'a' }, before: 1, after: 2 });
  });

  it('refuses a summary that kept fewer samples than the diff shows, naming both', () => {
    const small = new GoldenDiff({ maxSamples: 2 }).summary();
    const diff = new GoldenDiff({ maxSamples: 20 });
    expect(diff.canMerge(small)).toBe(false);
    expect(() => diff.merge(small)).toThrow(InvalidEvidenceOptionError);
    expect(() => diff.merge(small)).toThrow("summary.maxSamples must be at least this diff's maxSamples (20), got 2");
  });
});

describe('ExactSum state', () => {
  it.each([
    ['safe integers', [1, 2, 3]],
    ['decimals that floats would drift on', [0.1, 0.2, -0.3, 0.07]],
    ['integers beyond 2^53', [2 ** 53, 2 ** 53, 3]],
    ['a sum that cancels out', [1.5, -1.5]],
    ['nothing', []],
  ])('adds a stored sum exactly as its numbers one by one: %s', (_name, values) => {
    const one = new ExactSum();
    for (const v of values) one.add(v);
    const split = values.length >> 1;
    const [left, right] = [new ExactSum(), new ExactSum()];
    for (const v of values.slice(0, split)) left.add(v);
    for (const v of values.slice(split)) right.add(v);
    const merged = new ExactSum();
    merged.addState(left.state());
    merged.addState(right.state());
    expect(merged.value()).toStrictEqual(one.value());
  });
});
