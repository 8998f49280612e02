import { changeRatioGate, InvalidStageCountError } from '../../../../lambdas/lib/evidence';
import { ZERO_COUNTS, type BatchCounts } from '../../../../lambdas/lib/ledger';

const counts = (produced: number, written: number, extra: Partial<BatchCounts> = {}): BatchCounts => ({ ...ZERO_COUNTS, read: produced, produced, written, ...extra });

describe('changeRatioGate', () => {
  it('gives the ratio written ÷ produced as a percent and passes inside the band', () => {
    expect(changeRatioGate(counts(200, 3, { created: 1, unchanged: 197 }), { min: 0, max: 2 })).toEqual({
      produced: 200, written: 3, changePercent: 1.5, band: { min: 0, max: 2 }, passed: true,
    });
  });

  it('fails outside the band with a message naming the ratio and the band', () => {
    const result = changeRatioGate(counts(200, 3), { min: 0, max: 1 });
    expect(result.passed).toBe(false);
    expect(result.message).toBe(
      'the stage changed 1.5% of the items it produced (3 of 200), outside expectedChangePercent 0–1%; review the evidence, or widen expectedChangePercent in the spec if this change is intended',
    );
    expect(changeRatioGate(counts(200, 1), { min: 1, max: 5 }).passed).toBe(false);
  });

  it('passes a ratio exactly on either edge of the band', () => {
    expect(changeRatioGate(counts(3, 1), { min: 0, max: 100 / 3 }).passed).toBe(true);
    expect(changeRatioGate(counts(10, 1), { min: 10, max: 10 }).passed).toBe(true);
    expect(changeRatioGate(counts(10, 10), { min: 100, max: 100 }).passed).toBe(true);
    // 0.07 × 10000 is 700.0000000000001 in floats: the edge is compared exactly.
    expect(changeRatioGate(counts(10_000, 7), { min: 0.07, max: 0.07 }).passed).toBe(true);
    expect(changeRatioGate(counts(10_000, 7), { min: 0.0701, max: 1 }).passed).toBe(false);
  });

  it('passes any ratio without a band', () => {
    expect(changeRatioGate(counts(10, 10))).toEqual({ produced: 10, written: 10, changePercent: 100, passed: true });
  });

  it('has no ratio when nothing was produced: passes without a band, fails with one and says why', () => {
    expect(changeRatioGate(counts(0, 0, { read: 5, malformed: 5 }))).toEqual({ produced: 0, written: 0, changePercent: null, passed: true });
    const banded = changeRatioGate(counts(0, 0), { min: 0, max: 100 });
    expect(banded).toMatchObject({ changePercent: null, passed: false });
    expect(banded.message).toMatch(/^the stage produced no items, so it has no change ratio to hold to expectedChangePercent 0–100%/);
  });

  it('refuses a count that is not a whole number of 0 or more, naming it and the value', () => {
    expect(() => changeRatioGate(counts(10, -1))).toThrow(InvalidStageCountError);
    expect(() => changeRatioGate(counts(10, -1))).toThrow('counts.written must be a whole number of 0 or more, got -1');
    expect(() => changeRatioGate({ ...counts(10, 1), skippedNewer: 0.5 })).toThrow('counts.skippedNewer must be a whole number of 0 or more, got 0.5');
    expect(() => changeRatioGate({ ...counts(10, 1), produced: undefined } as unknown as BatchCounts)).toThrow('counts.produced must be a whole number of 0 or more, got nothing');
  });
});
