import { openBreaker, readBreaker, recordAlarmOk } from '../../../../lambdas/lib/breaker';
import { listAudit, listBatches, requestAbort, requestPause } from '../../../../lambdas/lib/ledger';
import { processWorkerInput, WorkerInputSchema, type WorkerInput } from '../../../../lambdas/lib/worker';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type Fixture } from '../../support/fixture';

/** `count` order events for `order-summary@2` (a registered transform: the worker looks it up by the spec). */
const orderLines = (count: number): string[] =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({ orderId: `ord-${String(i + 1).padStart(5, '0')}`, version: 1, customerId: 'c', placedAt: '2024-03-09T23:30:00-08:00', currency: 'USD', lines: [{ sku: 'S', quantity: 1, unitPrice: '1.00' }] }),
  );

const ALARM = { name: 'backfill-health', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:backfill-health' };

describe.each(dynamoTargets().slice(0, 1))('the worker\'s gate check (on %s)', (target) => {
  const env = useEmulators(target);

  /** A planned run of 5 batches of 10 records, all in one child; its own ledger, so its breaker is its own. */
  async function child(): Promise<{ f: Fixture; input: WorkerInput }> {
    const f = await createFixture(env(), { transform: 'order-summary@2', partitionKey: 'orderId', batchSize: 10 });
    const Items = await f.plan(orderLines(50));
    return { f, input: WorkerInputSchema.parse({ Items, BatchInput: { runId: f.runId, spec: f.spec } }) };
  }

  it('claims no batch while the breaker is open: every batch is left (gated), nothing written, nothing audited per batch', async () => {
    // GIVEN a run whose stack's breaker is open
    const { f, input } = await child();
    await openBreaker(f.deps, { by: `alarm:${ALARM.name}`, reason: 'Threshold Crossed', alarm: ALARM });
    const audit = (await listAudit(f.deps, f.runId)).length;
    // WHEN a child of its map runs
    const result = await processWorkerInput(f.deps, input, 'attempt-a');
    // THEN it returns normally with every batch gated, having claimed and written nothing
    expect(result).toMatchObject({ batches: 0, alreadyDone: 0, gated: 5 });
    expect(await listBatches(f.deps, f.runId)).toEqual([]);
    expect(await f.dumpTarget()).toBe('');
    expect(await listAudit(f.deps, f.runId)).toHaveLength(audit);
  });

  it('checks the gate before each batch, not once per child: a breaker opened after batch 2 leaves batches 3–5 unclaimed', async () => {
    // GIVEN a child of 5 batches, and a breaker that opens once batch 2 is done (before the next gate read)
    const { f, input } = await child();
    let ledgerReads = 0;
    const hooked = f.depsWithHook(async (call) => {
      if (call.command !== 'BatchGetItemCommand' || !(f.deps.ledgerTable in (call.input.RequestItems as object))) return;
      ledgerReads += 1;
      if (ledgerReads === 3) await openBreaker(f.deps, { by: 'local:ana', reason: 'orders p99 latency' });
    });
    const gatedCalls: Array<{ batchId: string; left: number; reason: string }> = [];
    // WHEN it runs
    const result = await processWorkerInput(hooked, input, 'attempt-a', { gated: (batchId, left, gate) => gatedCalls.push({ batchId, left, reason: gate.reason }) });
    // THEN only the first two batches were claimed (and are DONE); the other three are left for resume
    expect(result).toMatchObject({ batches: 2, gated: 3 });
    expect(result.counts.read).toBe(20);
    const batches = await listBatches(f.deps, f.runId);
    expect(batches.map((b) => [b.batchId, b.status])).toEqual(input.Items.slice(0, 2).map((i) => [i.batchId, 'DONE']));
    expect(gatedCalls).toEqual([{ batchId: input.Items[2]!.batchId, left: 3, reason: 'breaker' }]);
  });

  it.each([
    { status: 'PAUSING', shut: (f: Fixture) => requestPause(f.deps, f.runId, { by: 'local:ana', reason: 'deploy', trigger: 'operator' }), reason: 'paused' },
    { status: 'ABORTING', shut: (f: Fixture) => requestAbort(f.deps, f.runId, { by: 'local:ana', reason: 'wrong spec', rollback: false }), reason: 'aborted' },
  ])('leaves every batch of a $status run unclaimed, without an error', async ({ shut, reason, status }) => {
    const { f, input } = await child();
    await shut(f);
    const seen: string[] = [];

    const result = await processWorkerInput(f.deps, input, 'attempt-a', { gated: (_id, _left, gate) => seen.push(`${gate.reason}:${gate.status}`) });

    expect(result).toMatchObject({ batches: 0, gated: 5 });
    expect(seen).toEqual([`${reason}:${status}`]);
    expect(await listBatches(f.deps, f.runId)).toEqual([]);
  });

  it('reads the run and the breaker with one strongly consistent BatchGetItem per batch', async () => {
    const { f, input } = await child();
    const reads: Array<{ command: string; input: Record<string, unknown> }> = [];
    const hooked = f.depsWithHook((call) => {
      if (call.command === 'BatchGetItemCommand' && f.deps.ledgerTable in (call.input.RequestItems as object)) reads.push(call);
    });

    await processWorkerInput(hooked, input, 'attempt-a');

    expect(reads).toHaveLength(5);
    const marshalled = (pk: string, sk: string) => ({ pk, sk });
    for (const read of reads) {
      expect(read.input.RequestItems).toEqual({ [f.deps.ledgerTable]: { Keys: [marshalled(`RUN#${f.runId}`, 'RUN'), marshalled('BREAKER', 'BREAKER')], ConsistentRead: true } });
    }
  });

  it('closes an open breaker whose alarm has been OK for its auto-close delay (by auto-close), and processes the batches', async () => {
    // GIVEN an open breaker whose alarm went OK 301 s ago, with a 300 s auto-close
    const { f, input } = await child();
    await openBreaker(f.deps, { by: `alarm:${ALARM.name}`, reason: 'Threshold Crossed', alarm: ALARM });
    await recordAlarmOk(f.deps, { alarm: ALARM, at: new Date(f.clock.nowMs()).toISOString(), autoCloseAfterSeconds: 300 });
    f.clock.advance(301_000);
    // WHEN a child runs
    const result = await processWorkerInput(f.deps, input, 'attempt-a');
    // THEN the gate closed the breaker and every batch ran
    expect(result).toMatchObject({ batches: 5, gated: 0 });
    expect(await readBreaker(f.deps)).toMatchObject({ state: 'CLOSED', closedBy: 'auto-close' });
  });

  it('keeps the breaker open while its alarm has been OK for less than the auto-close delay', async () => {
    const { f, input } = await child();
    await openBreaker(f.deps, { by: `alarm:${ALARM.name}`, reason: 'Threshold Crossed', alarm: ALARM });
    await recordAlarmOk(f.deps, { alarm: ALARM, at: new Date(f.clock.nowMs()).toISOString(), autoCloseAfterSeconds: 300 });
    f.clock.advance(299_000);

    expect(await processWorkerInput(f.deps, input, 'attempt-a')).toMatchObject({ batches: 0, gated: 5 });
    expect((await readBreaker(f.deps)).state).toBe('OPEN');
  });
});
