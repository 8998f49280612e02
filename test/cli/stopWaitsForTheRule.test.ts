import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { getRun } from '../../lambdas/lib/ledger';
import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfEventRule } from '../../lambdas/handlers';
import type { ExecutionStatusChangeEvent } from '../../local/cloud/stepfunctions';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { EXIT } from '../../cli/errors';
import { waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';

const ME = `local:${userInfo().username}`;

/** A slow run (one batch at a time) started with the CLI, RUNNING in the ledger. */
async function startSlowRun(cloud: InProcessLocalCloud, runId: string): Promise<void> {
  const spec = join(cloud.dir, `${runId}.json`);
  writeFileSync(spec, JSON.stringify({ ...EXAMPLE_SPEC, jobName: runId, leaseSeconds: 5, batchSize: 200, maxConcurrency: 1 }));
  expect((await runBackfill(['start', '--spec', spec, '--name', runId, '--local', cloud.dir])).code).toBe(0);
  await waitFor(async () => (await getRun(cloud.env.deps, runId))?.status === 'RUNNING', { describe: `run ${runId} to be RUNNING`, timeoutMs: 20_000 });
}

// The CLI never writes the ledger (on AWS the operator policy has none): after StopExecution it
// waits for the stack's status-change rule to mark the run.
describe('backfill stop waits for the status-change rule to mark the run', () => {
  describe('when the rule delivers late', () => {
    let cloud: InProcessLocalCloud;
    let deps: Deps | undefined;
    beforeAll(async () => {
      // GIVEN a local cloud whose status-change delivery reaches the real handler 1.5 s late
      const late = async (event: ExecutionStatusChangeEvent) => {
        await sleep(1500);
        return HANDLER_FACTORIES[handlerIdOfEventRule('execution-status-change')](deps!)(event, { awsRequestId: 'late-1' });
      };
      cloud = await startInProcessLocalCloud(4000, { onExecutionEnded: late });
      deps = cloud.env.deps;
    });
    afterAll(() => cloud?.close());

    it('waits and reports STOPPED with who and why', async () => {
      await startSlowRun(cloud, 'stop-late');
      const stopped = await runBackfill(['stop', 'stop-late', '--reason', 'late rule', '--local', cloud.dir]);
      expect(stopped.stderr).toBe('');
      expect(stopped.code).toBe(EXIT.ok);
      expect(stopped.stdout.split('\n')[0]).toBe(`Stopped run stop-late: STOPPED, by ${ME}: late rule`);
      expect(await getRun(cloud.env.deps, 'stop-late')).toMatchObject({ status: 'STOPPED', stoppedBy: ME, stopReason: 'late rule' });
    });
  });

  describe('when the rule delivers nothing', () => {
    let cloud: InProcessLocalCloud;
    beforeAll(async () => {
      // GIVEN a local cloud whose status-change delivery is lost
      cloud = await startInProcessLocalCloud(4000, { onExecutionEnded: async () => undefined });
    });
    afterAll(() => cloud?.close());

    it('exits 1 after the deadline saying the execution is stopped but the run is not marked, and writes nothing', async () => {
      await startSlowRun(cloud, 'stop-lost');
      const stopped = await runBackfill(['stop', 'stop-lost', '--reason', 'lost rule', '--local', cloud.dir], { runMarkedDeadlineMs: 1500 });
      expect(stopped.code).toBe(EXIT.failed);
      expect(stopped.stderr).toBe(
        `error: execution arn:aws:states:us-east-1:000000000000:execution:Backfill:stop-lost is stopped (ABORTED) but run stop-lost is still RUNNING in the ledger after 2 s: the status-change rule has not marked it yet; check the output of \`backfill local up\` (its status-change delivery), then \`backfill stop stop-lost --reason ...\` again waits for it`,
      );
      // THEN the run record is as the rule left it: the CLI wrote nothing
      const run = await getRun(cloud.env.deps, 'stop-lost');
      expect(run?.status).toBe('RUNNING');
      expect(run).not.toHaveProperty('stoppedBy');
    });
  });
});
