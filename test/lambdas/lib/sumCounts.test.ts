import { sumCounts } from '../../../lambdas/lib/sumCounts';

describe('sumCounts', () => {
  it('adds every field, nested records included', () => {
    expect(sumCounts({ read: 2, written: 1, byKind: { bad: 1, empty: 0 } }, { read: 3, written: 0, byKind: { bad: 0, empty: 4 } })).toEqual({ read: 5, written: 1, byKind: { bad: 1, empty: 4 } });
  });

  it('counts a field one side lacks as zero (a record written before the field existed)', () => {
    const older = { read: 2 } as { read: number; skippedChanged: number };
    expect(sumCounts(older, { read: 1, skippedChanged: 3 })).toEqual({ read: 3, skippedChanged: 3 });
  });
});
