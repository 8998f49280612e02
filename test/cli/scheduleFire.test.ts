import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { getRun, listAudit } from '../../lambdas/lib/ledger';
import { EXIT } from '../../cli/errors';
import { localTarget } from '../../cli/target';
import { waitFor } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';

// GIVEN a repository whose cdk.json declares a schedule, and the local cloud
describe('backfill schedule fire', () => {
  let cloud: InProcessLocalCloud;
  let repo: string;
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(2000);
    repo = mkdtempSync(join(tmpdir(), 'backfill-schedules-'));
    writeFileSync(join(repo, 'spec.json'), JSON.stringify({ ...EXAMPLE_SPEC, jobName: 'nightly' }));
    writeFileSync(join(repo, 'cdk.json'), JSON.stringify({ app: 'x', context: { schedules: [{ name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', specFile: 'spec.json' }] } }));
  });
  afterAll(() => cloud?.close());
  const fire = (...argv: string[]) => runBackfill(['schedule', 'fire', ...argv, '--local', cloud.dir], { cwd: repo });

  it('sends the input Scheduler would, and firing twice for one time starts one run', async () => {
    // WHEN the schedule is fired twice for the same scheduled time
    const first = await fire('nightly-orders', '--at', '2026-12-01T06:00:00Z');
    const second = await fire('nightly-orders', '--at', '2026-12-01T06:00:00Z', '--attempt', '2');
    expect([first.code, second.code, first.stderr]).toEqual([0, 0, '']);
    const runId = 'nightly-orders-2026-12-01T06-00-00Z';
    expect(first.stdout.split('\n')[0]).toBe(`Fired schedule nightly-orders for 2026-12-01T06:00:00Z: run ${runId}`);
    // AND the second says its execution ended AlreadyStarted and started nothing
    expect(second.stdout.split('\n')[0]).toMatch(
      new RegExp(`^Schedule nightly-orders had already fired for 2026-12-01T06:00:00Z: execution arn:aws:states:us-east-1:000000000000:execution:Backfill:\\S+ ended AlreadyStarted and started nothing; run ${runId} is (RUNNING|SUCCEEDED)$`),
    );
    // THEN two executions ran (as two Scheduler invocations would), both to SUCCEEDED
    const target = localTarget(cloud.dir);
    try {
      const executions = await waitFor(
        async () => {
          const { executions: all = [] } = await target.sfn.send(new ListExecutionsCommand({ stateMachineArn: target.resources.backfillStateMachineArn }));
          if (all.some((e) => e.status === 'FAILED')) throw new Error('an execution failed');
          return all.length === 2 && all.every((e) => e.status === 'SUCCEEDED') && all;
        },
        { describe: 'both executions to succeed', timeoutMs: 40_000, intervalMs: 200 },
      );
      // AND each got exactly Scheduler's input: the spec, the schedule with the time substituted, who started it
      for (const execution of executions) {
        const { input } = await target.sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
        expect(JSON.parse(input!)).toEqual({ ...JSON.parse(JSON.stringify((await getRun(cloud.env.deps, runId))!.spec)), schedule: { name: 'nightly-orders', scheduledTime: '2026-12-01T06:00:00Z' }, startedBy: 'scheduler:nightly-orders' });
      }
    } finally {
      target.close();
    }
    // AND one run exists, started once, by the scheduler
    expect(await getRun(cloud.env.deps, runId)).toMatchObject({ status: 'SUCCEEDED', starts: 1, startedBy: 'scheduler:nightly-orders' });
    expect((await listAudit(cloud.env.deps, runId)).filter((e) => e.type === 'RunStarted')).toHaveLength(1);
  });

  it('refuses a time Scheduler would not send, naming it (exit 2)', async () => {
    const result = await fire('nightly-orders', '--at', '2026-12-01T07:00:00+01:00');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe('error: --at must be a UTC time with whole seconds as Scheduler sends it, e.g. 2026-12-01T06:00:00Z, got "2026-12-01T07:00:00+01:00"');
  });

  it('names the flag, not the Scheduler attribute, of a bad --at or --attempt (exit 2)', async () => {
    const at = await fire('nightly-orders', '--at', 'tomorrow');
    expect(at).toMatchObject({ code: EXIT.usage, stderr: 'error: --at must be a UTC time with whole seconds as Scheduler sends it, e.g. 2026-12-01T06:00:00Z, got "tomorrow"' });
    const zero = await fire('nightly-orders', '--at', '2026-12-01T06:00:00Z', '--attempt', '0');
    expect(zero).toMatchObject({ code: EXIT.usage, stderr: 'error: --attempt must be a whole number from 1 to 186, got 0' });
    const word = await fire('nightly-orders', '--at', '2026-12-01T06:00:00Z', '--attempt', 'two');
    expect(word).toMatchObject({ code: EXIT.usage, stderr: 'error: --attempt must be a whole number (Scheduler\'s attempt number: 1, a retry 2, 3, …), got "two"' });
  });

  it('refuses a schedule cdk.json does not declare, listing those it does', async () => {
    const result = await fire('weekly', '--at', '2026-12-01T06:00:00Z');
    expect(result).toMatchObject({ code: EXIT.usage, stderr: 'error: no schedule "weekly" in cdk.json\'s context "schedules" (it has: nightly-orders)' });
  });
});
