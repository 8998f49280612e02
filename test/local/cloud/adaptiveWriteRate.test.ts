import { DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { listAudit } from '../../../lambdas/lib/ledger';
import { readController } from '../../../lambdas/lib/rate';
import type { RunReport } from '../../../lambdas/lib/run';
import { startLocalCloud } from '../../../local/cloud/startLocalCloud';
import { injectThrottles, waitFor } from '../../support';
import { exampleSpec } from '../runtime/localRun';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
jest.setTimeout(180_000);

const RUN_ID = 'adaptive-write-rate';

describe('the adaptive write rate on the local cloud', () => {
  it('lowers the Map Run\'s concurrency under throttling of the target, and recovers to maxConcurrency after the throttling stops', async () => {
    // GIVEN the local cloud (as npm start runs it), its controller timed in tenths of seconds instead of tens,
    // and each worker invocation slowed by 100 ms until the recovery was seen, so the run outlasts it
    let recovered = false;
    const cloud = await startLocalCloud({
      codeVersion: 'test',
      demo: { records: 3000 },
      writeRate: { rule: { decreaseCooldownSeconds: 0.3, increaseIntervalSeconds: 0.4 } },
      wrapTaskHandler: (name, handler) =>
        name !== 'worker'
          ? handler
          : async (input) => {
              if (!recovered) await new Promise<void>((resolve) => setTimeout(resolve, 100));
              return handler(input);
            },
    });
    const sfn = new SFNClient({ endpoint: cloud.endpoints.stepfunctions, region: cloud.endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      // AND the target table throttling one request in three (DynamoDB's own 400 body; the SDK retries them)
      const throttles = injectThrottles(cloud.env.clients.ddb, 'order-summaries');
      throttles.set(3);
      // WHEN a run of 150 batches at maxConcurrency 8 starts
      const spec = exampleSpec({ batchSize: 20, maxConcurrency: 8, batchesPerWorker: 1 });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: cloud.endpoints.resources.backfillStateMachineArn, name: RUN_ID, input: JSON.stringify(spec) }));
      const mapRunLimit = async (): Promise<number | undefined> => {
        const running = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.find((m) => m.stopDate === undefined);
        return running && (await sfn.send(new DescribeMapRunCommand({ mapRunArn: running.mapRunArn }))).maxConcurrency;
      };
      const failFast = async () => {
        const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (status !== 'RUNNING') throw new Error(`the execution ended ${status} before the controller was seen at work`);
      };
      // THEN the controller halves down to 1, and DescribeMapRun shows it on the running Map Run
      await waitFor(async () => (await failFast(), (await readController(cloud.env.deps, RUN_ID))?.concurrency === 1 && (await mapRunLimit()) === 1), { describe: 'concurrency 1 under throttling', timeoutMs: 60_000 });
      expect(throttles.throttled).toBeGreaterThan(0);
      // WHEN the throttling stops
      throttles.set(0);
      // THEN it climbs back, one at a time, to maxConcurrency 8 on the Map Run
      await waitFor(async () => (await failFast(), (await mapRunLimit()) === 8), { describe: 'the Map Run back at maxConcurrency 8', timeoutMs: 60_000, intervalMs: 100 });
      recovered = true;
      const ended = await waitFor(async () => {
        const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return described.status !== 'RUNNING' && described;
      }, { describe: 'the execution to end', timeoutMs: 120_000, intervalMs: 200 });
      // AND the run succeeded with every record, each change recorded and audited
      expect([ended.status, ended.error]).toEqual(['SUCCEEDED', undefined]);
      expect((JSON.parse(ended.output!) as RunReport).counts.read).toBe(3000);
      const controller = (await readController(cloud.env.deps, RUN_ID))!;
      const path = [controller.changes[0]!.from, ...controller.changes.map((c) => c.to)];
      expect(path).toEqual([8, 4, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(controller.changes.every((c) => c.mapRunArn === controller.mapRunArn)).toBe(true);
      const audited = (await listAudit(cloud.env.deps, RUN_ID)).filter((e) => e.type === 'ConcurrencyChanged').map((e) => e.detail?.to);
      expect(audited).toEqual(path.slice(1));
    } finally {
      recovered = true;
      sfn.destroy();
      await cloud.close({ drainMs: 100 });
    }
  });
});
