import { getRun, listAudit, RunNotFoundError, RunStillRunningError } from '../../../../lambdas/lib/ledger';
import { InvalidRollbackInputError, loadRollback, type RollbackReport } from '../../../../lambdas/lib/rollback';
import { watchAudit } from '../../support/audit';
import { dynamoTargets, useEmulators } from '../../../support';
import type { Fixture } from '../../support/fixture';
import { endRun, rollBack } from '../../support/rollback';
import { createScenario, processAll } from '../../support/scenario';

/** What a refusal must leave: the run record, the audit trail and the target as they were. */
async function expectNothingChanged(f: Fixture, refused: () => Promise<unknown>, error: new (...args: never[]) => Error, message: RegExp): Promise<void> {
  const run = await getRun(f.deps, f.runId);
  const target = await f.dumpTarget();
  const audit = await watchAudit(f.deps, f.runId);
  const thrown = await refused().catch((e: unknown) => e);
  expect(thrown).toBeInstanceOf(error);
  expect((thrown as Error).message).toMatch(message);
  expect(await getRun(f.deps, f.runId)).toEqual(run);
  expect(await f.dumpTarget()).toBe(target);
  expect(await audit.appended()).toEqual([]);
}

describe.each(dynamoTargets())('rollback refusals on %s', (target) => {
  const env = useEmulators(target);

  it('refuses an unknown runId, saying to check it, and writes nothing', async () => {
    const { f } = await createScenario(env());
    const unknown = { ...f, runId: 'no-such-run' };
    await expectNothingChanged(unknown, () => loadRollback(f.deps, { runId: 'no-such-run' }), RunNotFoundError, /Run no-such-run does not exist in the ledger; check the runId/);
    expect(await listAudit(f.deps, 'no-such-run')).toEqual([]);
  });

  it('refuses a run still RUNNING without force (stop it first), and rolls it back with force', async () => {
    const { f, items, before } = await createScenario(env());
    await processAll(f, items, 'forward');

    await expectNothingChanged(f, () => rollBack(f), RunStillRunningError, /is RUNNING: a live run must be stopped before it is rolled back.*force/s);

    const report = (await rollBack(f, { force: true })) as RollbackReport;
    expect(report).toMatchObject({ status: 'ROLLED_BACK', rolledBackFrom: 'RUNNING', forced: true });
    expect(await f.dumpTarget()).toBe(before);
  }, 60_000);

  it('treats an already rolled-back run as a no-op that returns its report and says so', async () => {
    const { f, items } = await createScenario(env());
    await processAll(f, items, 'forward');
    await endRun(f);
    const first = (await rollBack(f)) as RollbackReport;
    const run = await getRun(f.deps, f.runId);
    const audit = await watchAudit(f.deps, f.runId);

    for (const mode of ['apply', 'rehearse'] as const) {
      const again = await loadRollback(f.deps, { runId: f.runId, mode, force: true });
      expect(again).toEqual({ runId: f.runId, mode, alreadyRolledBack: true, report: { ...first, alreadyRolledBack: true } });
    }
    expect(await getRun(f.deps, f.runId)).toEqual(run);
    expect(await audit.appended()).toEqual([]);
  }, 60_000);

  it.each([
    ['no runId', {}, ['input.runId: is required']],
    ['a bad mode and force', { runId: 'r1', mode: 'dry-run', force: 'yes' }, ['input.mode: must be "apply" or "rehearse"', 'input.force: must be true or false']],
    ['an unknown field', { runId: 'r1', dryRun: true }, ['input: unknown field "dryRun"']],
    ['a runId that is no execution name', { runId: 'a b' }, ['input.runId: must be 1–80 of A-Z a-z 0-9 _ -']],
    ['not an object', 'r1', ['input: must be a JSON object']],
  ])('refuses an invalid input (%s), naming every bad field', async (_what, input, problems) => {
    const { f } = await createScenario(env());
    const error = await loadRollback(f.deps, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRollbackInputError);
    for (const problem of problems) expect((error as Error).message).toContain(problem);
  });
});
