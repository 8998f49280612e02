import { boundDetail } from '../../../../lambdas/lib/rollback/boundDetail';

describe('boundDetail', () => {
  it('keeps a detail within the limit as it is', () => {
    expect(boundDetail('sha256 abc…, recorded def…', 300)).toBe('sha256 abc…, recorded def…');
  });

  it('cuts a long detail at a word boundary and marks the cut with …', () => {
    const detail = 'line 3: key.orderId expected string, received number; preImage expected object, received string';
    const bounded = boundDetail(detail, 40);
    expect(bounded).toBe('line 3: key.orderId expected string, …');
    expect(bounded.length).toBeLessThanOrEqual(40);
  });

  it('never leaves a parenthesis open: it cuts before it', () => {
    const bounded = boundDetail('the snapshot of batch b0000001 is missing (its object was deleted from the bucket by someone)', 60);
    expect(bounded).toBe('the snapshot of batch b0000001 is missing …');
  });

  it('cuts a single overlong word hard, still within the limit', () => {
    const bounded = boundDetail('x'.repeat(50), 10);
    expect(bounded).toBe(`${'x'.repeat(9)}…`);
  });
});
