import { getRun, listAudit } from '../../../lambdas/lib/ledger';
import { scheduledRunId } from '../../../lambdas/lib/spec';
import { exampleSpec, run, useSeededEnvironments } from '../../local/runtime/localRun';

// The backfill workflow as deployed (statemachines/backfill.asl.json) on the local engine, started
// with exactly the input an EventBridge Scheduler target sends: a retried or duplicated invocation
// for one scheduled time is a new execution (Scheduler names it), and must not start a second run.
describe('a scheduled start, fired twice for one scheduled time', () => {
  const seeded = useSeededEnvironments();

  it('starts one run: the second execution ends in AlreadyStarted, naming the run and its status', async () => {
    // GIVEN the input a schedule "nightly-orders" sends for 06:00
    const { env } = await seeded(200);
    const schedule = { name: 'nightly-orders', scheduledTime: '2026-12-01T06:00:00Z' };
    const input = { ...exampleSpec(), schedule, startedBy: 'scheduler:nightly-orders' };
    const runId = scheduledRunId(schedule.name, schedule.scheduledTime);
    // WHEN Scheduler invokes it, and then again (a retry), each time as a new execution
    const first = await run(env, input, 'scheduler-invocation-1');
    const second = await run(env, input, 'scheduler-invocation-2');
    // THEN the first ran the run named after the schedule and time, started by the scheduler
    expect(first.status).toBe('SUCCEEDED');
    expect(first.output).toMatchObject({ runId, status: 'SUCCEEDED' });
    const record = await getRun(env.deps, runId);
    expect(record).toMatchObject({ status: 'SUCCEEDED', starts: 1, startedBy: 'scheduler:nightly-orders', schedule });
    expect(record?.executionArn).toMatch(/:execution:Backfill:scheduler-invocation-1$/);
    // AND the second started nothing: it succeeded in AlreadyStarted, saying which run and its status
    expect(second.status).toBe('SUCCEEDED');
    expect(second.output).toEqual({ runId, alreadyStarted: true, alreadyFinished: false, resumed: false, starts: 1, status: 'SUCCEEDED', schedule });
    expect(Object.keys(first.stats.taskInvocations).filter((arn) => arn.endsWith(':backfill-plan'))).toHaveLength(1);
    expect(Object.keys(second.stats.taskInvocations).filter((arn) => arn.endsWith(':backfill-plan'))).toEqual([]);
    expect(await getRun(env.deps, runId)).toEqual(record);
    expect((await listAudit(env.deps, runId)).filter((e) => e.type === 'RunStarted' || e.type === 'RunResumed')).toMatchObject([
      { type: 'RunStarted', actor: 'scheduler:nightly-orders' },
    ]);
  }, 120_000);
});
