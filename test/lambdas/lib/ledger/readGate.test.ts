import { openBreaker, readBreaker, recordAlarmOk } from '../../../../lambdas/lib/breaker';
import { markExecutionEnded, markRunPaused, readGate, requestAbort, requestPause, RunNotFoundError, startOrResumeRun } from '../../../../lambdas/lib/ledger';
import { specHash } from '../../../../lambdas/lib/spec';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type Fixture } from '../../support/fixture';

const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:e-1';
const ANA = 'local:ana';

/** How each case brings a new RUNNING run to the status it is read in. */
const CASES = [
  { status: 'RUNNING', breaker: false, gate: { open: true } },
  { status: 'RUNNING', breaker: true, gate: { open: false, reason: 'breaker', status: 'RUNNING' } },
  { status: 'PAUSING', breaker: false, gate: { open: false, reason: 'paused', status: 'PAUSING' } },
  { status: 'PAUSED', breaker: true, gate: { open: false, reason: 'paused', status: 'PAUSED' } },
  { status: 'ABORTING', breaker: false, gate: { open: false, reason: 'aborted', status: 'ABORTING' } },
  { status: 'STOPPED', breaker: false, gate: { open: false, reason: 'not-running', status: 'STOPPED' } },
  { status: 'STOPPED', breaker: true, gate: { open: false, reason: 'not-running', status: 'STOPPED' } },
] as const;

describe.each(dynamoTargets().slice(0, 1))('readGate (on %s)', (target) => {
  const env = useEmulators(target);
  let f: Fixture;
  beforeEach(async () => {
    f = await createFixture(env());
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec), executionArn: EXECUTION });
  });

  async function bring(status: (typeof CASES)[number]['status']): Promise<void> {
    if (status === 'PAUSING' || status === 'PAUSED') await requestPause(f.deps, f.runId, { by: ANA, reason: 'deploy', trigger: 'operator' });
    if (status === 'PAUSED') await markRunPaused(f.deps, f.runId, { taskToken: 't' });
    if (status === 'ABORTING') await requestAbort(f.deps, f.runId, { by: ANA, reason: 'wrong spec', rollback: false });
    if (status === 'STOPPED') await markExecutionEnded(f.deps, { runId: f.runId, executionArn: EXECUTION, status: 'ABORTED', actor: ANA });
  }

  it.each(CASES)('a $status run, breaker open: $breaker → $gate.reason', async ({ status, breaker, gate }) => {
    await bring(status);
    if (breaker) await openBreaker(f.deps, { by: 'alarm:backfill-health', reason: 'Threshold Crossed' });

    const read = await readGate(f.deps, f.runId);

    expect(read).toEqual(gate.open ? gate : { ...gate, detail: expect.any(String) });
  });

  it('says who shut it and why in the detail', async () => {
    await requestPause(f.deps, f.runId, { by: ANA, reason: 'orders deploy', trigger: 'operator' });
    expect(await readGate(f.deps, f.runId)).toMatchObject({ detail: 'PAUSING: paused by local:ana (operator): orders deploy' });
    const other = f.forNewRun();
    await startOrResumeRun(other.deps, { runId: other.runId, spec: other.spec, specHash: specHash(other.spec) });
    await openBreaker(other.deps, { by: 'alarm:backfill-health', reason: 'Threshold Crossed' });
    expect(await readGate(other.deps, other.runId)).toMatchObject({ detail: `the breaker is OPEN since ${new Date(other.clock.nowMs()).toISOString()}, opened by alarm:backfill-health: Threshold Crossed` });
  });

  it.each(['RUNNING', 'PAUSING', 'PAUSED'] as const)('closes a breaker due for auto-close whatever the run\'s status (%s)', async (status) => {
    await openBreaker(f.deps, { by: 'alarm:backfill-health', reason: 'Threshold Crossed' });
    await recordAlarmOk(f.deps, { alarm: { name: 'backfill-health' }, at: new Date(f.clock.nowMs()).toISOString(), autoCloseAfterSeconds: 60 });
    await bring(status);
    f.clock.advance(60_000);

    const gate = await readGate(f.deps, f.runId);

    expect(gate.open ? 'open' : gate.reason).toBe(status === 'RUNNING' ? 'open' : 'paused');
    expect(await readBreaker(f.deps)).toMatchObject({ state: 'CLOSED', closedBy: 'auto-close' });
  });

  it('refuses a run that does not exist (RunNotFoundError)', async () => {
    await expect(readGate(f.deps, 'no-such-run')).rejects.toThrow(RunNotFoundError);
  });
});
