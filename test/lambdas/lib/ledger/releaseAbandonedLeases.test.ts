import { claimBatch, completeBatch, releaseAbandonedLeases, type Lease } from '../../../../lambdas/lib/ledger';
import { watchAudit } from '../../support/audit';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const LEASE_SECONDS = 600;
const REASON = 'the process that held the data dir lock is gone';

describe.each(dynamoTargets())('releaseAbandonedLeases on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(() => (f = fixture()));

  async function claimed(batchId: string, owner: string, kind?: 'rollback'): Promise<Lease> {
    const result = await claimBatch(f.deps, { runId: f.runId, batchId, owner, leaseSeconds: LEASE_SECONDS, ...(kind ? { kind } : {}) });
    if (result.kind !== 'claimed') throw new Error(`expected ${owner} to claim ${batchId}`);
    return result.lease;
  }

  it('expires the live leases of a dead process, so the next attempt takes the batch over at once', async () => {
    // GIVEN a dead process held b0000001 with a 600 s lease, and b0000002 is DONE
    const dead = await claimed('b0000001', 'dead-attempt');
    await completeBatch(f.deps, await claimed('b0000002', 'finished-attempt'), { counts: { read: 1, malformed: 0, produced: 1, written: 1, created: 0, unchanged: 0, skippedNewer: 0, skippedChanged: 0 } });
    f.clock.advance(1_000);
    const watch = await watchAudit(f.deps, f.runId);

    // WHEN its leases are released
    const released = await releaseAbandonedLeases(f.deps, f.runId, REASON);

    // THEN only the IN_PROGRESS batch's lease was expired, audited with the reason
    expect(released).toEqual([{ batchId: 'b0000001', owner: 'dead-attempt', attempt: 1, leaseExpiresAtMs: dead.expiresAtMs }]);
    expect(await watch.appended()).toMatchObject([{ type: 'LeaseReleased', batchId: 'b0000001', detail: { kind: 'batch', owner: 'dead-attempt', reason: REASON } }]);
    expect(await f.batch('b0000001')).toMatchObject({ status: 'IN_PROGRESS', leaseOwner: 'dead-attempt' });
    expect((await f.batch('b0000002'))?.status).toBe('DONE');
    // AND a new attempt claims the batch now, without waiting out the 600 s
    expect(await claimBatch(f.deps, { runId: f.runId, batchId: 'b0000001', owner: 'resumed', leaseSeconds: LEASE_SECONDS })).toMatchObject({
      kind: 'claimed',
      takeover: true,
      lease: { owner: 'resumed', attempt: 2 },
    });
  });

  it('releases rollback records with kind "rollback", and leaves the forward batches alone', async () => {
    await claimed('b0000001', 'forward-attempt');
    await claimed('b0000001', 'rollback-attempt', 'rollback');

    const released = await releaseAbandonedLeases(f.deps, f.runId, REASON, 'rollback');

    expect(released.map((l) => l.owner)).toEqual(['rollback-attempt']);
    await expect(claimBatch(f.deps, { runId: f.runId, batchId: 'b0000001', owner: 'x', leaseSeconds: 60 })).rejects.toThrow(/is leased to attempt \d+ until/);
  });

  it('says what a refused claim waits for and for how long', async () => {
    // GIVEN a live 600 s lease
    const lease = await claimed('b0000003', 'live-attempt');
    f.clock.advance(100_000);
    // WHEN another attempt tries to claim it
    const error = await claimBatch(f.deps, { runId: f.runId, batchId: 'b0000003', owner: 'other', leaseSeconds: LEASE_SECONDS }).then(
      () => new Error('claimed'),
      (e: unknown) => e as Error,
    );
    // THEN the message names the batch, the expiry, the lease length and what is left
    const until = new Date(lease.expiresAtMs).toISOString();
    expect(error).toMatchObject({ name: 'BatchLeaseHeldError', leaseSeconds: LEASE_SECONDS, leaseExpiresAtMs: lease.expiresAtMs });
    expect(error.message).toBe(
      `Batch b0000003 of run ${f.runId} is leased to attempt 1 until ${until} (lease 600 s, 500 s from now); the workflow retries the claim. ` +
        `If the retries run out, that attempt's worker died or hung: start the run again after ${until} to resume it ` +
        "(locally, a start takes over a gone process's leases at once; spec.leaseSeconds sets how long a dead worker's lease blocks its batch)",
    );
  });
});
