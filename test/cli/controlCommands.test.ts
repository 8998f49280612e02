import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { localIdentity } from '../../cli/identity';
import { readBreaker } from '../../lambdas/lib/breaker';
import { getRun, listAudit, markRunPaused, requestPause, startOrResumeRun } from '../../lambdas/lib/ledger';
import { runPk } from '../../lambdas/lib/ledger/keys';
import { specHash } from '../../lambdas/lib/spec';
import { specFor } from '../lambdas/fixtures/specs';
import { runBackfill } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';

const ME = localIdentity();

// GIVEN what `backfill local up` serves, in this process: the control endpoint at the local
// approval server's /controls (the real operator-control handler), runs created in its ledger.
describe('backfill pause|resume|abort|breaker on a local cloud', () => {
  let cloud: InProcessLocalCloud;
  let runs = 0;
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(100);
  }, 60_000);
  afterAll(() => cloud.close());

  const deps = () => cloud.env.deps;
  const cli = (...argv: string[]) => runBackfill([...argv, '--local', cloud.dir]);
  async function runningRun(): Promise<string> {
    const runId = `cli-control-${++runs}`;
    const spec = specFor('source-bucket', 'orders/');
    await startOrResumeRun(deps(), { runId, spec, specHash: specHash(spec), startedBy: 'local:starter' });
    return runId;
  }

  it('pause moves a RUNNING run to PAUSING as the CLI\'s identity; status shows who, why and how to go on; resume opens its gate again', async () => {
    const runId = await runningRun();
    const paused = await cli('pause', runId, '--reason', 'checkout latency alarm');
    expect(paused).toMatchObject({ code: 0, stderr: '' });
    expect(paused.stdout).toContain(`Pausing run ${runId} (was RUNNING): no batch starts writing`);
    expect(await getRun(deps(), runId)).toMatchObject({ status: 'PAUSING', control: { action: 'pause', trigger: 'operator', by: ME, reason: 'checkout latency alarm' } });
    const status = await cli('status', runId);
    expect(status.stdout).toMatch(new RegExp(`paused +by ${ME} \\(an operator\\) at \\S+: checkout latency alarm`));
    expect(status.stdout).toContain(`to go on         backfill resume ${runId}   or   backfill abort ${runId} --reason "..." [--rollback]`);
    // Again: nothing changes
    expect((await cli('pause', runId, '--reason', 'again')).stdout).toContain(`run ${runId} is already PAUSING: nothing changed`);
    const resumed = await cli('resume', runId, '--reason', 'latency back to normal');
    expect(resumed).toMatchObject({ code: 0, stderr: '' });
    expect(resumed.stdout).toContain(`Resumed run ${runId} (was PAUSING): its gate is open again`);
    expect((await getRun(deps(), runId))?.status).toBe('RUNNING');
    expect((await listAudit(deps(), runId)).map((e) => [e.type, e.actor])).toEqual(expect.arrayContaining([['RunPauseRequested', ME], ['RunResumed', ME]]));
  }, 60_000);

  it('abort --rollback --json moves a RUNNING run to ABORTING with the rollback asked for, printing the endpoint\'s answer', async () => {
    const runId = await runningRun();
    const result = await cli('abort', runId, '--reason', 'wrong target table', '--rollback', '--json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ action: 'abort', runId, by: ME, changed: true, from: 'RUNNING', status: 'ABORTING', released: false });
    expect(await getRun(deps(), runId)).toMatchObject({ status: 'ABORTING', control: { action: 'abort', by: ME, reason: 'wrong target table', rollback: true } });
    // Again: the first abort's who and why stay
    expect((await cli('abort', runId, '--reason', 'again')).stdout).toBe(`run ${runId} is already ABORTING: nothing changed (\`backfill status ${runId}\` says who aborted it and why)`);
    expect(await getRun(deps(), runId)).toMatchObject({ control: { reason: 'wrong target table' } });
  }, 60_000);

  it('breaker open / status / close: every run\'s status shows it, a paused run cannot resume while it is OPEN (exit 1, nothing changed)', async () => {
    const runId = await runningRun();
    expect((await cli('pause', runId, '--reason', 'maintenance')).code).toBe(0);
    const opened = await cli('breaker', 'open', '--reason', 'incident 4711');
    expect(opened).toMatchObject({ code: 0, stderr: '' });
    expect(opened.stdout).toMatch(new RegExp(`^Opened the breaker\\n  breaker +OPEN since \\S+ by ${ME}: incident 4711$`));
    expect(JSON.parse((await cli('breaker', 'status', '--json')).stdout)).toMatchObject({ state: 'OPEN', openedBy: ME, reason: 'incident 4711' });
    const status = await cli('status', runId);
    expect(status.stdout).toMatch(new RegExp(`breaker +OPEN since \\S+ by ${ME}: incident 4711`));
    expect(status.stdout).toContain(`to go on         backfill breaker close --reason "...", then backfill resume ${runId}`);
    const refused = await cli('resume', runId);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused (BreakerOpenError)');
    expect(refused.stderr).toContain('backfill breaker close --reason');
    expect((await getRun(deps(), runId))?.status).toBe('PAUSING');
    const closed = await cli('breaker', 'close', '--reason', 'incident resolved');
    expect(closed.stdout).toContain('Closed the breaker');
    expect((await readBreaker(deps())).state).toBe('CLOSED');
    expect((await cli('breaker', 'status')).stdout).toMatch(new RegExp(`^breaker +CLOSED since \\S+ by ${ME}: incident resolved$`));
    expect((await cli('resume', runId)).code).toBe(0);
  }, 60_000);

  it('status shows the run\'s concurrency and its last changes from the controller record', async () => {
    const runId = await runningRun();
    await deps().clients.ddb.send(
      new PutCommand({
        TableName: deps().ledgerTable,
        Item: {
          pk: runPk(runId), sk: 'CONTROLLER', concurrency: 4, maxConcurrency: 8,
          changes: [{ at: '2026-12-01T16:00:00.000Z', from: 8, to: 4, why: 'throttles: 12 in the last batch' }],
        },
      }),
    );
    const status = await cli('status', runId);
    expect(status.stdout).toContain('  concurrency      4 of 8');
    expect(status.stdout).toContain('  changes          2026-12-01T16:00:00.000Z 8 → 4: throttles: 12 in the last batch');
    expect(JSON.parse((await cli('status', runId, '--json')).stdout).controls).toMatchObject({ breaker: { state: 'CLOSED' }, concurrency: { current: 4, max: 8 } });
  }, 60_000);

  it('status of a PAUSED run shows who paused it and why, never the task token it waits with', async () => {
    const runId = await runningRun();
    const token = 'AQB8AAAAKgAAAAMAAAAAAAAAAVERY-SECRET-TOKEN';
    await requestPause(deps(), runId, { by: 'alarm:Backfill-Breaker', reason: 'the breaker opened', trigger: 'breaker' });
    await markRunPaused(deps(), runId, { taskToken: token });
    const text = await cli('status', runId);
    const json = await cli('status', runId, '--json');
    expect(text.stdout).toMatch(/paused +by alarm:Backfill-Breaker \(the breaker\) at \S+: the breaker opened/);
    expect(JSON.parse(json.stdout).controls.control).toMatchObject({ action: 'pause', trigger: 'breaker', by: 'alarm:Backfill-Breaker' });
    expect(text.stdout + json.stdout).not.toContain(token);
  }, 60_000);

  it.each([
    [['pause', 'RUN', '--reason', '  '], 2, 'say why with --reason'],
    [['pause', 'RUN'], 2, "required option '--reason <text>' not specified"],
    [['abort', 'no-such-run', '--reason', 'x'], 2, 'no run no-such-run in the ledger'],
    [['breaker', 'close', '--reason', ''], 2, 'say why with --reason'],
  ])('%j exits %i naming what to do, nothing changed', async (argv, code, message) => {
    const runId = await runningRun();
    const result = await cli(...argv.map((a) => (a === 'RUN' ? runId : a)));
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
    expect((await getRun(deps(), runId))?.status).toBe('RUNNING');
  }, 60_000);

  it('resume of a run that is RUNNING in no execution is still today\'s resume (a new execution), not the control endpoint', async () => {
    const runId = await runningRun();
    const result = await cli('resume', runId);
    expect(result.stdout).toContain(`Resumed run ${runId} (was RUNNING) in execution`);
    expect((await listAudit(deps(), runId)).map((e) => e.type)).not.toContain('RunPauseRequested');
  }, 60_000);
});
