import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getRun } from '../../lambdas/lib/ledger';
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
  const cli = (...argv: string[]) => runBackfill([...argv, '--local', cloud.dir]);
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(4000);
    const spec = join(cloud.dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ ...EXAMPLE_SPEC, jobName: 'rolling' }));
    expect((await cli('start', '--spec', spec, '--name', runId)).code).toBe(0);
    expect((await cli('watch', runId)).code).toBe(EXIT.ok);
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
});
