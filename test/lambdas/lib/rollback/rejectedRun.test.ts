import { getRun, listAudit, markRunRejected } from '../../../../lambdas/lib/ledger';
import { loadRollback, rolledBackCleanly, type RehearsalReport, type RollbackReport } from '../../../../lambdas/lib/rollback';
import { processBatch } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators } from '../../../support';
import { rehearse, rollBack } from '../../support/rollback';
import { createScenario } from '../../support/scenario';

/** onRejection "rollback-canary": a rejected run's rollback takes it back to the pre-run state and ends REJECTED_ROLLED_BACK. */
describe.each(dynamoTargets())('rolling back a rejected run on %s', (target) => {
  const env = useEmulators(target);

  /** GIVEN the canary (batch 0 of 3) written, and its approval rejected: the run is REJECTED. */
  async function rejectedAfterCanary() {
    const scenario = await createScenario(env());
    const { f, items } = scenario;
    await processBatch(f.deps, f.ctx('forward'), items[0]!);
    await markRunRejected(f.deps, f.runId, { stage: 'canary', outcome: 'rejected', by: 'alice@example.com', comment: 'totals off' });
    return scenario;
  }

  it('restores the target to its pre-run state exactly and ends the run REJECTED_ROLLED_BACK, keeping why it was rejected', async () => {
    const { f, before } = await rejectedAfterCanary();
    expect(await f.dumpTarget()).not.toBe(before);

    // WHEN the rollback state machine runs on it, as RollbackCanary starts it (no force: a REJECTED run has no live workers)
    const report = (await rollBack(f, { requestedBy: 'backfill (spec.approval.onRejection: rollback-canary)', reason: 'rejected' })) as RollbackReport;

    // THEN the target is byte-identical to before the run
    expect(await f.dumpTarget()).toBe(before);
    expect(report).toMatchObject({ status: 'REJECTED_ROLLED_BACK', rolledBackFrom: 'REJECTED', forced: false, batches: 1 });
    // AND the run says it was rejected and rolled back, with its rejection kept
    expect(await getRun(f.deps, f.runId)).toMatchObject({ status: 'REJECTED_ROLLED_BACK', rollback: report, rejection: { stage: 'canary', by: 'alice@example.com' } });
    expect((await listAudit(f.deps, f.runId)).map((e) => e.type).filter((t) => t.startsWith('Roll') || t === 'RunRejected')).toEqual([
      'RunRejected',
      'RollbackStarted',
      'RollbackPlanned',
      'RollbackBatchClaimed',
      'RollbackBatchRestored',
      'RollbackSucceeded',
    ]);
  }, 60_000);

  it('is a no-op returning the report when rolled back again', async () => {
    const { f } = await rejectedAfterCanary();
    const report = (await rollBack(f)) as RollbackReport;
    const loaded = await loadRollback(f.deps, { runId: f.runId });
    expect(loaded).toEqual({ runId: f.runId, mode: 'apply', alreadyRolledBack: true, report: { ...report, alreadyRolledBack: true } });
  }, 60_000);

  it('a rehearsal says it would end REJECTED_ROLLED_BACK', async () => {
    const { f } = await rejectedAfterCanary();
    const rehearsal = (await rehearse(f)) as RehearsalReport;
    expect(rehearsal).toMatchObject({ runStatus: 'REJECTED', healthy: true, wouldEndAs: 'REJECTED_ROLLED_BACK' });
  }, 60_000);
});

describe('rolledBackCleanly (exit 0 of the rollback commands)', () => {
  it.each([
    ['ROLLED_BACK', 0, true],
    ['ROLLED_BACK_WITH_CONFLICTS', 2, false],
    ['REJECTED_ROLLED_BACK', 0, true],
    ['REJECTED_ROLLED_BACK', 2, false],
  ] as const)('%s with %i conflicts: %s', (status, total, clean) => {
    expect(rolledBackCleanly({ status, conflicts: { total, shown: [] } })).toBe(clean);
  });
});
