import { exampleSpecInput, specProblemsOf } from '../../fixtures/specs';

describe('spec: the write ceiling against the lease', () => {
  it('refuses a ceiling whose share spaces a worker\'s writes further apart than half the lease, saying what to change', () => {
    // GIVEN 100 workers sharing 1 write/s: one write each 100 s per worker, with a 60 s lease
    const problems = specProblemsOf({ ...exampleSpecInput(), maxConcurrency: 100, maxWritesPerSecond: 1, leaseSeconds: 60 });
    expect(problems).toEqual([
      'spec.maxWritesPerSecond: gives each of maxConcurrency 100 workers one write every 100 s, longer than half of leaseSeconds 60, so a batch\'s lease could lapse between two writes; ' +
        'raise maxWritesPerSecond to at least 4, lower maxConcurrency to at most 30 or raise leaseSeconds to at least 200, got number 1',
    ]);
  });

  it('takes a ceiling whose writes come at most half a lease apart, and a spec without a ceiling', () => {
    expect(specProblemsOf({ ...exampleSpecInput(), maxConcurrency: 30, maxWritesPerSecond: 1, leaseSeconds: 60 })).toEqual([]);
    expect(specProblemsOf({ ...exampleSpecInput(), maxConcurrency: 1_000, leaseSeconds: 5 })).toEqual([]);
  });
});
