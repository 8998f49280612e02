import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../infra/definitions';
import { getRun } from '../../lambdas/lib/ledger';
import { dumpTable } from '../../local/runtime/dumpTable';
import { EXIT } from '../../cli/errors';
import { waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill, type CliRun } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';

// GIVEN a finished run whose rollback is running
describe('stop and resume of a run whose rollback is running', () => {
  const runId = 'rolling-1';
  let cloud: InProcessLocalCloud;
  let rollback: Promise<CliRun> | undefined;
  /** Items of the target table before the run, and those the run wrote, by orderId. */
  let before: Set<unknown>;
  let written: Array<Record<string, unknown>>;
  const targetItems = async () => (await dumpTable(cloud.env.clients.ddb, LOCAL_NAMES.demoTargetTable)).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const cli = (...argv: string[]) => runBackfill([...argv, '--local', cloud.dir]);
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(4000);
    const spec = join(cloud.dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ ...EXAMPLE_SPEC, jobName: 'rolling' }));
    before = new Set((await targetItems()).map((item) => item.orderId));
    expect((await cli('start', '--spec', spec, '--name', runId)).code).toBe(0);
    expect((await cli('watch', runId)).code).toBe(EXIT.ok);
    written = (await targetItems()).filter((item) => item.backfillRunId === runId);
    rollback = cli('rollback', runId, '--reason', 'test rollback');
    await waitFor(async () => (await getRun(cloud.env.deps, runId))?.status === 'ROLLING_BACK', { describe: 'the run to be ROLLING_BACK', timeoutMs: 20_000, intervalMs: 20 });
  });
  afterAll(async () => {
    await rollback;
    await cloud?.close();
  });

  it('stop refuses (exit 2), naming the running rollback, how to stop it and that it is resumable', async () => {
    const stopped = await cli('stop', runId, '--reason', 'stop it');
    expect(stopped.code).toBe(EXIT.usage);
    expect(stopped.stderr).toBe(
      `error: run ${runId} is ROLLING_BACK: a rollback is running (arn:aws:states:us-east-1:000000000000:execution:Rollback:${runId}-rollback-1); \`backfill stop\` stops a run's forward execution, not a rollback. ` +
        `To stop the rollback: \`aws stepfunctions stop-execution --execution-arn arn:aws:states:us-east-1:000000000000:execution:Rollback:${runId}-rollback-1 --endpoint-url <stepfunctions of endpoints.json>\`; a rollback is resumable: \`backfill rollback ${runId} --reason "..." --local ${cloud.dir}\` later resumes it`,
    );
  });

  it('resume refuses (exit 2), saying the rollback is running', async () => {
    const resumed = await cli('resume', runId);
    expect(resumed).toMatchObject({
      code: EXIT.usage,
      stderr: `error: run ${runId} is ROLLING_BACK: its rollback is running in arn:aws:states:us-east-1:000000000000:execution:Rollback:${runId}-rollback-1; a rolled-back run is not resumed: \`backfill status ${runId}\` follows it`,
    });
  });

  it('the rollback itself goes on to ROLLED_BACK', async () => {
    expect((await rollback!).code).toBe(EXIT.ok);
    expect((await getRun(cloud.env.deps, runId))?.status).toBe('ROLLED_BACK');
  });

  it('lineage of an item the rolled-back run wrote says it may have been restored by a rollback, or deleted', async () => {
    // GIVEN an item the run overwrote (it existed before) and one it created
    const overwritten = written.find((item) => before.has(item.orderId))!;
    const created = written.find((item) => !before.has(item.orderId))!;
    expect([overwritten, created].every(Boolean)).toBe(true);
    const restored = await cli('lineage', '--table', LOCAL_NAMES.demoTargetTable, '--key', `orderId=${String(overwritten.orderId)}`);
    expect(restored.code).toBe(EXIT.ok);
    expect(restored.stdout.split('\n')[0]).toBe(`${LOCAL_NAMES.demoTargetTable} {"orderId":"${String(overwritten.orderId)}"}: not written by a backfill run, or restored by a rollback (it carries no backfillRunId stamp)`);
    const deleted = await cli('lineage', '--table', LOCAL_NAMES.demoTargetTable, '--key', `orderId=${String(created.orderId)}`);
    expect(deleted).toMatchObject({
      code: EXIT.usage,
      stderr: `error: ${LOCAL_NAMES.demoTargetTable} has no item {"orderId":"${String(created.orderId)}"}; check the key (an item a run created is deleted when that run is rolled back: \`backfill audit RUN\` shows its rollback)`,
    });
  });
});
