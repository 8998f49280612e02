import { DEFAULT_FAULT_SEED, describeFaultSpec, FaultSpecError, parseFaultSpec } from '../../../local/faults';

describe('parseFaultSpec', () => {
  it('reads the issue example: shares, a latency with its unit, the default seed', () => {
    expect(parseFaultSpec('throttle=0.2,latency=50ms,errors=0.01')).toEqual({ throttle: 0.2, errors: 0.01, latencyMs: 50, seed: DEFAULT_FAULT_SEED });
  });

  it('takes any subset of the keys, spaces around them, seconds and a seed', () => {
    expect(parseFaultSpec('throttle=0.5')).toEqual({ throttle: 0.5, errors: 0, latencyMs: 0, seed: DEFAULT_FAULT_SEED });
    expect(parseFaultSpec(' latency = 1.5s , seed=7 ')).toEqual({ throttle: 0, errors: 0, latencyMs: 1500, seed: 7 });
    expect(parseFaultSpec('throttle=1')).toMatchObject({ throttle: 1 });
    expect(parseFaultSpec('errors=.25')).toMatchObject({ errors: 0.25 });
  });

  it.each([
    ['', 'it is empty'],
    ['throttle=2', 'throttle must be a share of requests from 0 to 1 (e.g. 0.2), got "2"'],
    ['throttle=20%', 'throttle must be a share of requests from 0 to 1 (e.g. 0.2), got "20%"'],
    ['errors=-0.1', 'errors must be a share of requests from 0 to 1 (e.g. 0.2), got "-0.1"'],
    ['latency=50', 'latency must be a duration with its unit from 0ms to 60s (e.g. 50ms or 1.5s), got "50"'],
    ['latency=2m', 'got "2m"'],
    ['latency=61s', 'got "61s"'],
    ['seed=x', 'seed must be a whole number from 0 to 4294967295, got "x"'],
    ['throttel=0.2', '"throttel" is not a fault (known: throttle, errors, latency, seed)'],
    ['throttle=0.2,throttle=0.3', 'throttle is given twice'],
    ['throttle', '"throttle" is not key=value'],
    ['throttle=0.2,', 'it has an empty pair'],
    ['throttle=0.7,errors=0.4', 'throttle + errors must be at most 1 (one draw decides each request), got 0.7 + 0.4'],
  ])('refuses %j with a FaultSpecError naming the problem', (text, problem) => {
    // WHEN the text is parsed THEN the error names the text, the problem and what to give
    const parse = () => parseFaultSpec(text);
    expect(parse).toThrow(FaultSpecError);
    expect(parse).toThrow(problem);
    expect(parse).toThrow(`--inject-faults ${JSON.stringify(text)} is not a fault spec`);
    expect(parse).toThrow('e.g. throttle=0.2,latency=50ms,errors=0.01');
  });

  it('names every problem of one text at once', () => {
    try {
      parseFaultSpec('throttle=3,latency=fast,colour=red');
      throw new Error('expected a FaultSpecError');
    } catch (error) {
      expect(error).toBeInstanceOf(FaultSpecError);
      expect((error as FaultSpecError).problems).toEqual([
        expect.stringContaining('throttle must be a share'),
        expect.stringContaining('latency must be a duration'),
        expect.stringContaining('"colour" is not a fault'),
      ]);
    }
  });
});

describe('describeFaultSpec', () => {
  it('prints the spec as --inject-faults text with its seed', () => {
    expect(describeFaultSpec(parseFaultSpec('throttle=0.2,latency=50ms,errors=0.01'))).toBe('throttle=0.2,errors=0.01,latency=50ms (seed 12)');
    expect(describeFaultSpec(parseFaultSpec('seed=3'))).toBe('no faults (seed 3)');
  });
});
