import { ExactSum } from '../../../../lambdas/lib/evidence';

const sum = (...values: number[]) => {
  const s = new ExactSum();
  for (const v of values) s.add(v);
  return s.value();
};

describe('ExactSum', () => {
  it('is a number while every value and the sum are safe integers', () => {
    expect(sum()).toBe(0);
    expect(sum(1998, 2010, -5)).toBe(4003);
  });

  it('sums integers beyond 2^53 exactly, as a decimal string', () => {
    expect(sum(Number.MAX_SAFE_INTEGER, 2)).toBe('9007199254740993');
    expect(sum(...Array.from({ length: 1000 }, () => Number.MAX_SAFE_INTEGER))).toBe('9007199254740991000');
    expect(sum(-Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER)).toBe('-18014398509481982');
  });

  it('sums decimals without float drift', () => {
    expect(sum(0.1, 0.2)).toBe('0.3');
    expect(sum(...Array.from({ length: 10 }, () => 0.1))).toBe('1');
    expect(sum(-0.25, -0.1)).toBe('-0.35');
    expect(sum(1.5e-7, 2e21)).toBe('2000000000000000000000.00000015');
    expect(sum(0.5, -0.5)).toBe('0');
  });
});
