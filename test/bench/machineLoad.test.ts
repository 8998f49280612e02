import { stagedMarkdown } from '../../bench/report/stagedSection';
import { describeLoad, stagedLoad } from '../../bench/staged/machineLoad';

const quiet = { loadAverage: 0.4, cpuPressurePercent: 2 };

describe('stagedLoad', () => {
  it('calls a machine quiet when every reading is within the cores and the CPU pressure low', () => {
    const load = stagedLoad(2, quiet, [{ before: quiet, after: { loadAverage: 1.3, cpuPressurePercent: 6 } }]);
    expect(load).toMatchObject({ cores: 2, loaded: false, verdict: 'quiet machine (1-minute load up to 1.3 on 2 core(s), CPU pressure up to 6 %)' });
  });

  it('flags a loaded machine when any reading, before the bench or around a pair, is above the cores', () => {
    const load = stagedLoad(2, quiet, [{ before: quiet, after: quiet }, { before: { loadAverage: 5.2 }, after: quiet }]);
    expect(load.loaded).toBe(true);
    expect(load.verdict).toMatch(/^LOADED machine \(1-minute load up to 5\.2 on 2 core\(s\), CPU pressure up to 2 %; loaded above 2 or 10 %\): other work shared the CPUs/);
  });

  it('flags a loaded machine on CPU pressure alone', () => {
    expect(stagedLoad(4, quiet, [{ before: quiet, after: { loadAverage: 1, cpuPressurePercent: 35 } }]).loaded).toBe(true);
  });

  it('is printed per reading and lands in the results table', () => {
    expect(describeLoad({ loadAverage: 3.1, cpuPressurePercent: 40 })).toBe('load 3.1, CPU pressure 40 %');
    expect(describeLoad({ loadAverage: 0.2 })).toBe('load 0.2');
    const summary = { median: 1, min: 1, max: 1 };
    const table = stagedMarkdown({
      load: stagedLoad(2, { loadAverage: 9 }, []),
      records: 10, pairs: 1, rollout: {}, unstagedSeconds: summary, stagedSeconds: summary, overhead: summary, cpuOverhead: summary,
      validateSeconds: summary, validateSecondsByStage: {}, goals: {},
    } as unknown as Parameters<typeof stagedMarkdown>[0]);
    expect(table).toContain('| machine while measuring | **LOADED machine (1-minute load up to 9 on 2 core(s)');
  });
});
