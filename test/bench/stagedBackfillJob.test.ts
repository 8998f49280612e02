import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillJob } from '../../bench/child/backfillJob';
import { seedFixture } from '../../bench/child/fixtures';
import { costOfRun } from '../../bench/cost/costModel';
import { stagedPairFigures } from '../../bench/staged/summarizeStaged';
import { loadPriceTable } from '../../lambdas/lib/cost/priceTable';

// The bench's staged measurement on the real staged ASL and handlers, at a small size.
describe('the bench\'s staged backfill job', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'bench-staged-test-'));
  const fixture = join(workDir, 'fixture');
  const spec = { batchSize: 100, maxConcurrency: 2, batchesPerWorker: 1 };

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    await seedFixture(fixture, 2_000);
  }, 60_000);
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('times every stage, reads the canary\'s forecast and splits the usage at the first wave', async () => {
    // WHEN the same data is backfilled unstaged and staged
    const unstaged = await backfillJob({ fixtureDir: fixture, records: 2_000, spec, runId: 'bench-test-unstaged' });
    const staged = await backfillJob({ fixtureDir: fixture, records: 2_000, spec, runId: 'bench-test-staged', staged: true });
    // THEN both write the same items
    expect(staged.counts).toEqual(unstaged.counts);
    const measured = staged.staged!;
    expect(measured.timeline.stages.map((s) => s.name)).toEqual(['canary', 'wave-1', 'wave-2']);
    for (const stage of measured.timeline.stages) {
      expect(stage.processMs).toBeGreaterThan(0);
      expect(stage.validateMs).toBeGreaterThan(0);
    }
    expect(measured.timeline.approvalWaitMs).toBe(0);
    expect(measured.meanWorkerCallMs!.canary).toBeGreaterThan(0);
    expect(measured.meanWorkerCallMs!.rest).toBeGreaterThan(0);
    expect(measured.forecast.status).toBe('forecast');
    expect(measured.canary.records + (measured.forecast.status === 'forecast' ? measured.forecast.remainingRecords : NaN)).toBe(2_000);
    // The rest: the waves' records, and the workers' part of its requests within all of them.
    const rest = measured.rest!;
    expect(rest.all.records).toBe(2_000 - measured.canary.records);
    expect(rest.workers.expressChildren).toBe(staged.batches - measured.canary.batches);
    expect(rest.workers.api.requests['S3.GetObject']).toBeLessThanOrEqual(rest.all.api.requests['S3.GetObject']!);
    const prices = loadPriceTable();
    expect(costOfRun(rest.workers, prices).totalUsd).toBeLessThan(costOfRun(rest.all, prices).totalUsd);
    const figures = stagedPairFigures({ unstaged, staged }, prices);
    expect(figures.forecast!.forecastMs).toBeGreaterThan(0);
    expect(figures.validateMs).toBe(measured.timeline.stages.reduce((sum, s) => sum + s.validateMs, 0));
  }, 120_000);
});
