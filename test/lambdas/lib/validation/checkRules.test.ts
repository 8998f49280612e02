import type { OutputRule } from '../../../../lambdas/transforms';
import {
  checkRules, DuplicateRuleNameError, InvalidRuleCheckOptionError, MAX_SAMPLE_MESSAGE_CHARS, type RulesCheckResult,
} from '../../../../lambdas/lib/validation';

type Source = { readonly n: number };
type Item = { id: string; doubled: number };

const nonNegative: OutputRule<Source, Item> = {
  name: 'doubled-non-negative', attribute: 'doubled', description: 'doubled is zero or more',
  check: (item) => (item.doubled >= 0 ? undefined : `doubled is ${item.doubled}, below 0`),
};
const twiceTheSource: OutputRule<Source, Item> = {
  name: 'doubled-is-twice-n', attribute: 'doubled', description: 'doubled is 2 × n',
  check: (item, source) => (item.doubled === source.n * 2 ? undefined : `doubled is ${item.doubled}, 2 × n is ${source.n * 2}`),
};
const transform = (...rules: OutputRule<Source, Item>[]) => ({ name: 'doubler', version: 1, rules });
const item = (id: string, doubled: number): Item => ({ id, doubled });
const ids = (result: RulesCheckResult, rule: number) => result.rules[rule]!.samples.map((s) => s.key['id']);

describe('checkRules', () => {
  it('counts per rule the items checked and the violations, with key, value and message samples', () => {
    const checker = checkRules(transform(nonNegative, twiceTheSource), { keyAttributes: ['id'] });
    checker.add(item('a', 2), { n: 1 });
    checker.add(item('b', -2), { n: -1 });
    checker.add(item('c', 5), { n: 2 });
    expect(checker.result()).toEqual({
      transform: 'doubler@1', items: 3, itemsViolating: 2, violations: 2, passed: false,
      rules: [
        { name: 'doubled-non-negative', description: 'doubled is zero or more', attribute: 'doubled', checked: 3, violations: 1,
          samples: [{ key: { id: 'b' }, value: -2, message: 'doubled is -2, below 0' }] },
        { name: 'doubled-is-twice-n', description: 'doubled is 2 × n', attribute: 'doubled', checked: 3, violations: 1,
          samples: [{ key: { id: 'c' }, value: 5, message: 'doubled is 5, 2 × n is 4' }] },
      ],
    });
  });

  it('passes when no item breaks a rule, and when the transform declares no rules', () => {
    const checker = checkRules(transform(nonNegative), { keyAttributes: ['id'] });
    checker.add(item('a', 0), { n: 0 });
    expect(checker.result()).toMatchObject({ items: 1, violations: 0, passed: true });
    const none = checkRules({ name: 'plain', version: 3 }, { keyAttributes: ['id'] });
    none.add(item('a', -1), { n: 1 });
    expect(none.result()).toEqual({ transform: 'plain@3', items: 1, itemsViolating: 0, violations: 0, passed: true, rules: [] });
  });

  it('keeps at most maxSamples samples however many items violate, yet counts every violation', () => {
    const checker = checkRules(transform(nonNegative), { keyAttributes: ['id'], maxSamples: 3 });
    for (let i = 0; i < 50_000; i++) checker.add(item(`k${String(49_999 - i).padStart(5, '0')}`, -1), { n: 0 });
    const result = checker.result();
    expect(result.rules[0]).toMatchObject({ checked: 50_000, violations: 50_000 });
    // the samples are the smallest keys, not the first items added
    expect(ids(result, 0)).toEqual(['k00000', 'k00001', 'k00002']);
  });

  it('gives the same result whatever order the items are added in (batches finish in any order)', () => {
    const items = Array.from({ length: 40 }, (_, i) => item(`id-${(i * 7) % 40}`, i % 3 === 0 ? -i - 1 : i));
    const forward = checkRules(transform(nonNegative), { keyAttributes: ['id'], maxSamples: 4 });
    const backward = checkRules(transform(nonNegative), { keyAttributes: ['id'], maxSamples: 4 });
    for (const it of items) forward.add(it, { n: 0 });
    for (const it of [...items].reverse()) backward.add(it, { n: 0 });
    expect(backward.result()).toEqual(forward.result());
    expect(ids(forward.result(), 0)).toEqual(['id-0', 'id-10', 'id-12', 'id-2']);
  });

  it('counts a rule that throws as a violation with the error message, and goes on checking the other rules', () => {
    const throwing: OutputRule<Source, Item> = {
      name: 'reads-missing', attribute: 'doubled', description: 'throws on odd n',
      check: (_item, source) => {
        if (source.n % 2 === 1) throw new TypeError(`cannot read n=${source.n}`);
        return undefined;
      },
    };
    const checker = checkRules(transform(throwing, nonNegative), { keyAttributes: ['id'] });
    expect(() => checker.add(item('odd', -2), { n: 1 })).not.toThrow();
    checker.add(item('even', 4), { n: 2 });
    const result = checker.result();
    expect(result.rules[0]).toMatchObject({
      checked: 2, violations: 1,
      samples: [{ key: { id: 'odd' }, value: -2, message: 'rule reads-missing threw TypeError: cannot read n=1' }],
    });
    expect(result.rules[1]).toMatchObject({ checked: 2, violations: 1 });
    expect(result.itemsViolating).toBe(1);
  });

  it('cuts a very long message to a bounded size', () => {
    const verbose: OutputRule<Source, Item> = { name: 'verbose', attribute: 'doubled', description: 'always fails', check: () => 'x'.repeat(100_000) };
    const checker = checkRules(transform(verbose), { keyAttributes: ['id'] });
    checker.add(item('a', 1), { n: 0 });
    const message = checker.result().rules[0]!.samples[0]!.message;
    expect(message).toHaveLength(MAX_SAMPLE_MESSAGE_CHARS);
    expect(message.endsWith('…')).toBe(true);
  });

  it('keeps counting with maxSamples 0, and a result read earlier does not change with later items', () => {
    const checker = checkRules(transform(nonNegative), { keyAttributes: ['id'], maxSamples: 0 });
    checker.add(item('a', -1), { n: 0 });
    const early = checker.result();
    checker.add(item('b', -1), { n: 0 });
    expect(early.rules[0]).toMatchObject({ violations: 1, samples: [] });
    expect(checker.result().rules[0]).toMatchObject({ violations: 2, samples: [] });
  });

  it('copies the key and value into a sample, so changing the item afterwards does not change the evidence', () => {
    type Nested = { id: string; address: { city: string } };
    const knownCity: OutputRule<Source, Nested> = {
      name: 'known-city', attribute: 'address', description: 'the city is Oslo', check: (it) => (it.address.city === 'Oslo' ? undefined : 'not Oslo'),
    };
    const checker = checkRules({ name: 'nested', version: 1, rules: [knownCity] }, { keyAttributes: ['id'] });
    const mutable: Nested = { id: 'a', address: { city: 'Bergen' } };
    checker.add(mutable, { n: 0 });
    mutable.address.city = 'changed';
    expect(checker.result().rules[0]!.samples).toEqual([{ key: { id: 'a' }, value: { city: 'Bergen' }, message: 'not Oslo' }]);
  });

  it('refuses unusable options with a message naming the option, the value and the fix', () => {
    expect(() => checkRules(transform(nonNegative), { keyAttributes: [] })).toThrow(
      new InvalidRuleCheckOptionError('keyAttributes', [], 'a non-empty list of attribute names', 'doubler@1'),
    );
    expect(() => checkRules(transform(nonNegative), { keyAttributes: [] })).toThrow(
      "keyAttributes must be a non-empty list of attribute names, got []; pass the target table's key attribute names, e.g. ['orderId']",
    );
    expect(() => checkRules(transform(nonNegative), { keyAttributes: ['id'], maxSamples: 1.5 })).toThrow(
      'maxSamples must be a whole number from 0 to 1000, got 1.5; pass maxSamples within that range',
    );
    expect(() => checkRules(transform(nonNegative), { keyAttributes: ['id'], maxSamples: 1001 })).toThrow(InvalidRuleCheckOptionError);
  });

  it('refuses a transform that declares two rules with the same name', () => {
    expect(() => checkRules(transform(nonNegative, { ...twiceTheSource, name: nonNegative.name }), { keyAttributes: ['id'] })).toThrow(
      new DuplicateRuleNameError('doubled-non-negative', 'doubler@1'),
    );
    expect(() => checkRules(transform(nonNegative, nonNegative), { keyAttributes: ['id'] })).toThrow(
      'transform doubler@1 declares the rule "doubled-non-negative" more than once; give each rule of the transform its own name',
    );
  });
});
