import { exampleSpec, reportOf, run, useSeededEnvironments } from '../runtime/localRun';

jest.setTimeout(120_000);

describe('the EMF of a local run', () => {
  const seeded = useSeededEnvironments();

  it("is captured from the real worker handler into the environment's metric store (metrics not disabled, nothing printed)", async () => {
    // GIVEN a seeded local environment (POWERTOOLS_METRICS_DISABLED is set, as the local tests set it)
    const { env } = await seeded(300);
    const stdout = jest.spyOn(process.stdout, 'write');
    try {
      // WHEN a backfill runs through the local engine
      const outcome = await run(env, exampleSpec({ batchSize: 50 }), 'metrics-run');
      expect(outcome.status).toBe('SUCCEEDED');
      // THEN the workers' RecordsRead samples add up to the records the report read
      const series = env.metrics.list().filter((s) => s.metricName === 'RecordsRead' && s.namespace === 'Backfill');
      expect(series.length).toBeGreaterThan(0);
      const read = series.flatMap((s) => env.metrics.samples(s, 0, Number.MAX_SAFE_INTEGER)).reduce((sum, v) => sum + v, 0);
      expect(read).toBe(reportOf(outcome).counts.read);
      // AND no EMF went to stdout
      expect(stdout.mock.calls.filter(([chunk]) => String(chunk).includes('"_aws"'))).toEqual([]);
    } finally {
      stdout.mockRestore();
    }
  });
});
