import { LEDGER_TABLE } from '../../../../infra/definitions';
import { appendAudit, listAudit } from '../../../../lambdas/lib/ledger';
import { ManualClock } from '../../../../lambdas/lib/runtime/Clock';
import { createTable, dynamoTargets, uniqueName, useEmulators } from '../../../support';

describe.each(dynamoTargets())('the audit trail on %s', (target) => {
  const env = useEmulators(target);

  it('lists events in the order they were appended, even within one millisecond', async () => {
    // GIVEN a clock that never moves
    const ledgerTable = uniqueName('ledger');
    await createTable(env().clients, ledgerTable, LEDGER_TABLE);
    const deps = { clients: env().clients, ledgerTable, clock: new ManualClock() };
    // WHEN 30 events are appended one after another
    for (let i = 0; i < 30; i++) await appendAudit(deps, { runId: 'r1', type: 'Step', detail: { i } });
    // THEN they come back in that order, and never as another run's
    const events = await listAudit(deps, 'r1');
    expect(events.map((e) => e.detail?.i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(await listAudit(deps, 'r2')).toEqual([]);
  });
});
