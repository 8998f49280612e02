import {
  BATCH_TRANSITIONS,
  BatchLeaseHeldError,
  claimBatch,
  completeBatch,
  failBatch,
  getBatch,
  LeaseLostError,
  listBatches,
  recordSnapshot,
  renewLease,
  type BatchCounts,
  type BatchRecord,
  type Lease,
  type SnapshotRef,
} from '../../../../lambdas/lib/ledger';
import { watchAudit } from '../../support/audit';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

const LEASE_SECONDS = 60;
const LEASE_MS = LEASE_SECONDS * 1000;
const BATCH = 'b0000001';

const countsOf = (written: number): BatchCounts => ({ read: 10, malformed: 0, produced: 10, written, created: 0, unchanged: 10 - written, skippedNewer: 0, skippedChanged: 0 });
const snapshotOf = (attempt: number): SnapshotRef => ({ key: `snapshots/r/${BATCH}/attempt-${attempt}.jsonl`, sha256: String(attempt).repeat(64), itemCount: 10 });

/** Each allowed move of BATCH_TRANSITIONS, by the test below that performs it. */
const TESTED_ALLOWED_MOVES = ['(none) → IN_PROGRESS', 'IN_PROGRESS → IN_PROGRESS', 'FAILED → IN_PROGRESS', 'IN_PROGRESS → DONE', 'IN_PROGRESS → FAILED'];

describe('BATCH_TRANSITIONS', () => {
  it('lists exactly the moves tested as allowed here', () => {
    expect(BATCH_TRANSITIONS.map((t) => `${t.from ?? '(none)'} → ${t.to}`)).toEqual(TESTED_ALLOWED_MOVES);
  });
});

describe.each(dynamoTargets())('batch records on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(() => (f = fixture()));

  const claim = (owner: string) => claimBatch(f.deps, { runId: f.runId, batchId: BATCH, owner, leaseSeconds: LEASE_SECONDS });
  const record = () => f.batch(BATCH);
  const audit = () => watchAudit(f.deps, f.runId);
  const auditTypes = async (watch: Awaited<ReturnType<typeof audit>>) => (await watch.appended()).map((e) => e.type);

  async function claimed(owner: string): Promise<Lease> {
    const result = await claim(owner);
    if (result.kind !== 'claimed') throw new Error(`expected ${owner} to claim ${BATCH}, got ${result.kind}`);
    return result.lease;
  }

  /** Expects a refused move: the given error, the record untouched, nothing audited. */
  async function expectRefused(move: () => Promise<unknown>, error: new (...args: never[]) => Error): Promise<void> {
    const before = await record();
    const watch = await audit();
    await expect(move()).rejects.toThrow(error);
    expect(await record()).toEqual(before);
    expect(await watch.appended()).toEqual([]);
  }

  describe('claimBatch', () => {
    it('(none) → IN_PROGRESS: the first attempt claims a never-claimed batch with a lease', async () => {
      const watch = await audit();

      const result = await claim('attempt-a');

      const expiresAtMs = f.clock.nowMs() + LEASE_MS;
      expect(result).toEqual({
        kind: 'claimed',
        lease: { runId: f.runId, batchId: BATCH, owner: 'attempt-a', attempt: 1, expiresAtMs },
        snapshot: undefined,
        takeover: false,
      });
      expect(await record()).toMatchObject({ status: 'IN_PROGRESS', attempt: 1, leaseOwner: 'attempt-a', leaseExpiresAtMs: expiresAtMs });
      expect(await watch.appended()).toMatchObject([{ type: 'BatchClaimed', batchId: BATCH, detail: { attempt: 1, owner: 'attempt-a' } }]);
    });

    it('IN_PROGRESS → IN_PROGRESS: a new attempt takes over once the lease has expired', async () => {
      // GIVEN attempt A died holding the batch, and its lease has run out
      await claimed('attempt-a');
      f.clock.advance(LEASE_MS + 1);
      const watch = await audit();

      // WHEN attempt B claims it
      const result = await claim('attempt-b');

      // THEN B holds it as attempt 2
      expect(result).toMatchObject({ kind: 'claimed', takeover: true, lease: { owner: 'attempt-b', attempt: 2 } });
      expect(await record()).toMatchObject({ status: 'IN_PROGRESS', attempt: 2, leaseOwner: 'attempt-b' });
      expect(await auditTypes(watch)).toEqual(['BatchClaimed']);
    });

    it('refuses IN_PROGRESS → IN_PROGRESS while another attempt holds a live lease (BatchLeaseHeldError)', async () => {
      const lease = await claimed('attempt-a');
      f.clock.advance(LEASE_MS - 1);

      await expectRefused(() => claim('attempt-b'), BatchLeaseHeldError);

      const error = await claim('attempt-b').catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BatchLeaseHeldError', batchId: BATCH, leaseExpiresAtMs: lease.expiresAtMs });
      // The message says which attempt holds the lease, until when, and what to do if it never ends.
      expect((error as Error).message).toContain(`is leased to attempt 1 until ${new Date(lease.expiresAtMs).toISOString()} (lease ${LEASE_MS / 1000} s, 1 s from now)`);
      expect((error as Error).message).toContain('start the run again after');
    });

    it('refuses a takeover at the very millisecond the lease ends (it must have passed)', async () => {
      await claimed('attempt-a');
      f.clock.advance(LEASE_MS);

      await expectRefused(() => claim('attempt-b'), BatchLeaseHeldError);
    });

    it('FAILED → IN_PROGRESS: a failed batch is retried by a new attempt, its error cleared and its snapshot kept', async () => {
      // GIVEN attempt A took the snapshot, then failed (say, throttled in the middle of its writes)
      const lease = await claimed('attempt-a');
      await recordSnapshot(f.deps, lease, snapshotOf(1));
      await failBatch(f.deps, lease, new Error('throttled'));
      const watch = await audit();

      // WHEN attempt B retries it
      const result = await claim('attempt-b');

      // THEN B holds it as attempt 2, with A's snapshot to restore from
      expect(result).toMatchObject({ kind: 'claimed', snapshot: snapshotOf(1), lease: { owner: 'attempt-b', attempt: 2 } });
      const retried = await record();
      expect(retried).toMatchObject({ status: 'IN_PROGRESS', attempt: 2, leaseOwner: 'attempt-b' });
      expect(retried?.error).toBeUndefined();
      expect(await auditTypes(watch)).toEqual(['BatchClaimed']);
    });

    it('reports a DONE batch as done and leaves it so (DONE ↛ IN_PROGRESS)', async () => {
      const lease = await claimed('attempt-a');
      await completeBatch(f.deps, lease, { counts: countsOf(4), checksum: 'c1' });
      const before = await record();
      const watch = await audit();
      f.clock.advance(10 * LEASE_MS);

      const result = await claim('attempt-b');

      expect(result).toEqual({ kind: 'done', record: before });
      expect(await record()).toEqual(before);
      expect(await watch.appended()).toEqual([]);
    });

    it('hands the recorded snapshot to the attempt that takes over', async () => {
      const lease = await claimed('attempt-a');
      await recordSnapshot(f.deps, lease, snapshotOf(1));
      f.clock.advance(LEASE_MS + 1);

      const result = await claim('attempt-b');

      expect(result).toMatchObject({ kind: 'claimed', takeover: true, snapshot: snapshotOf(1) });
    });
  });

  describe('completeBatch', () => {
    it('IN_PROGRESS → DONE: the lease holder completes the batch with its counts and checksum', async () => {
      const lease = await claimed('attempt-a');
      const watch = await audit();

      await completeBatch(f.deps, lease, { counts: countsOf(4), checksum: 'c1', quarantineKey: 'quarantine/r/b.jsonl' });

      const done = await record();
      expect(done).toMatchObject({ status: 'DONE', attempt: 1, counts: countsOf(4), checksum: 'c1', quarantineKey: 'quarantine/r/b.jsonl' });
      expect(done?.leaseExpiresAtMs).toBeUndefined();
      expect(await watch.appended()).toMatchObject([{ type: 'BatchCompleted', batchId: BATCH, detail: { attempt: 1, written: 4 } }]);
    });

    it('refuses an attempt that does not hold the lease (LeaseLostError)', async () => {
      const lease = await claimed('attempt-a');
      await expectRefused(() => completeBatch(f.deps, { ...lease, owner: 'attempt-x' }, { counts: countsOf(4), checksum: 'cx' }), LeaseLostError);
    });

    it('refuses (none) → DONE: a batch nobody claimed', async () => {
      const lease: Lease = { runId: f.runId, batchId: BATCH, owner: 'attempt-a', attempt: 1, expiresAtMs: f.clock.nowMs() + LEASE_MS };
      await expectRefused(() => completeBatch(f.deps, lease, { counts: countsOf(4), checksum: 'c1' }), LeaseLostError);
      expect(await record()).toBeUndefined();
    });

    it('refuses DONE → DONE: completing twice keeps the first counts', async () => {
      const lease = await claimed('attempt-a');
      await completeBatch(f.deps, lease, { counts: countsOf(4), checksum: 'c1' });
      await expectRefused(() => completeBatch(f.deps, lease, { counts: countsOf(9), checksum: 'c2' }), LeaseLostError);
    });

    it('refuses FAILED → DONE', async () => {
      const lease = await claimed('attempt-a');
      await failBatch(f.deps, lease, new Error('boom'));
      await expectRefused(() => completeBatch(f.deps, lease, { counts: countsOf(4), checksum: 'c1' }), LeaseLostError);
    });
  });

  describe('failBatch', () => {
    it('IN_PROGRESS → FAILED: the lease holder records its error', async () => {
      const lease = await claimed('attempt-a');
      const watch = await audit();

      await failBatch(f.deps, lease, new TypeError('bad item'));

      expect(await record()).toMatchObject({ status: 'FAILED', attempt: 1, error: 'TypeError: bad item' });
      expect(await watch.appended()).toMatchObject([{ type: 'BatchFailed', batchId: BATCH, detail: { attempt: 1, error: 'TypeError: bad item' } }]);
    });

    it('refuses an attempt that does not hold the lease (LeaseLostError)', async () => {
      const lease = await claimed('attempt-a');
      await expectRefused(() => failBatch(f.deps, { ...lease, owner: 'attempt-x' }, new Error('boom')), LeaseLostError);
    });

    it('refuses (none) → FAILED: a batch nobody claimed', async () => {
      const lease: Lease = { runId: f.runId, batchId: BATCH, owner: 'attempt-a', attempt: 1, expiresAtMs: f.clock.nowMs() + LEASE_MS };
      await expectRefused(() => failBatch(f.deps, lease, new Error('boom')), LeaseLostError);
      expect(await record()).toBeUndefined();
    });

    it('refuses DONE → FAILED: a completed batch stays DONE', async () => {
      const lease = await claimed('attempt-a');
      await completeBatch(f.deps, lease, { counts: countsOf(4), checksum: 'c1' });
      await expectRefused(() => failBatch(f.deps, lease, new Error('late failure')), LeaseLostError);
    });

    it('refuses FAILED → FAILED: the first error stays', async () => {
      const lease = await claimed('attempt-a');
      await failBatch(f.deps, lease, new Error('first'));
      await expectRefused(() => failBatch(f.deps, lease, new Error('second')), LeaseLostError);
    });
  });

  describe('renewLease', () => {
    it('extends the lease of its holder', async () => {
      const lease = await claimed('attempt-a');
      f.clock.advance(LEASE_MS / 2);

      const renewed = await renewLease(f.deps, lease, LEASE_SECONDS);

      expect(renewed.expiresAtMs).toBe(f.clock.nowMs() + LEASE_MS);
      expect((await record())?.leaseExpiresAtMs).toBe(renewed.expiresAtMs);
      f.clock.advance(LEASE_MS - 1);
      await expect(claim('attempt-b')).rejects.toThrow(BatchLeaseHeldError);
    });

    it('refuses an attempt that does not hold the lease (LeaseLostError)', async () => {
      const lease = await claimed('attempt-a');
      await expectRefused(() => renewLease(f.deps, { ...lease, owner: 'attempt-x' }, LEASE_SECONDS), LeaseLostError);
    });
  });

  describe('recordSnapshot', () => {
    it('records the snapshot of the lease holder once', async () => {
      const lease = await claimed('attempt-a');
      const watch = await audit();

      expect(await recordSnapshot(f.deps, lease, snapshotOf(1))).toEqual(snapshotOf(1));

      expect((await record())?.snapshot).toEqual(snapshotOf(1));
      expect(await watch.appended()).toMatchObject([{ type: 'SnapshotRecorded', detail: { ...snapshotOf(1), attempt: 1 } }]);
    });

    it('never replaces a recorded snapshot: a later attempt gets the recorded one back', async () => {
      // GIVEN attempt 1 recorded its snapshot, then died
      const first = await claimed('attempt-a');
      await recordSnapshot(f.deps, first, snapshotOf(1));
      f.clock.advance(LEASE_MS + 1);
      const second = await claimed('attempt-b');
      const watch = await audit();

      // WHEN attempt 2 tries to record its own
      const kept = await recordSnapshot(f.deps, second, snapshotOf(2));

      // THEN attempt 1's stays authoritative
      expect(kept).toEqual(snapshotOf(1));
      expect((await record())?.snapshot).toEqual(snapshotOf(1));
      expect(await watch.appended()).toEqual([]);
    });

    it('refuses an attempt that does not hold the lease (LeaseLostError)', async () => {
      const lease = await claimed('attempt-a');
      await expectRefused(() => recordSnapshot(f.deps, { ...lease, owner: 'attempt-x' }, snapshotOf(1)), LeaseLostError);
    });
  });

  describe('fencing a stale attempt', () => {
    it('once B took over, A can neither renew, record a snapshot, complete nor fail; the batch ends DONE by B with B’s counts', async () => {
      // GIVEN A's lease expired and B took the batch over
      const a = await claimed('attempt-a');
      f.clock.advance(LEASE_MS + 1);
      const b = await claimed('attempt-b');

      // WHEN A wakes up and carries on, THEN every move of A is refused
      await expectRefused(() => renewLease(f.deps, a, LEASE_SECONDS), LeaseLostError);
      await expectRefused(() => recordSnapshot(f.deps, a, snapshotOf(1)), LeaseLostError);
      await expectRefused(() => completeBatch(f.deps, a, { counts: countsOf(9), checksum: 'from-a' }), LeaseLostError);
      await expectRefused(() => failBatch(f.deps, a, new Error('A gives up')), LeaseLostError);

      // AND B completes it
      await recordSnapshot(f.deps, b, snapshotOf(2));
      await completeBatch(f.deps, b, { counts: countsOf(3), checksum: 'from-b' });
      await expectRefused(() => completeBatch(f.deps, a, { counts: countsOf(9), checksum: 'from-a' }), LeaseLostError);
      expect(await record()).toMatchObject({ status: 'DONE', attempt: 2, leaseOwner: 'attempt-b', counts: countsOf(3), checksum: 'from-b', snapshot: snapshotOf(2) });
    });

    it('a stale attempt cannot record its snapshot over the one the new holder recorded', async () => {
      const a = await claimed('attempt-a');
      f.clock.advance(LEASE_MS + 1);
      const b = await claimed('attempt-b');
      await recordSnapshot(f.deps, b, snapshotOf(2));

      await expectRefused(() => recordSnapshot(f.deps, a, snapshotOf(1)), LeaseLostError);
      expect((await record())?.snapshot).toEqual(snapshotOf(2));
    });
  });

  describe('listBatches', () => {
    it('lists every batch of the run in batchId order, and no other run’s', async () => {
      const other = f.forNewRun();
      for (const batchId of ['b0000002', 'b0000000', 'b0000001']) {
        await claimBatch(f.deps, { runId: f.runId, batchId, owner: 'a', leaseSeconds: LEASE_SECONDS });
      }
      await claimBatch(other.deps, { runId: other.runId, batchId: 'b0000003', owner: 'a', leaseSeconds: LEASE_SECONDS });

      const batches: BatchRecord[] = await listBatches(f.deps, f.runId);

      expect(batches.map((b) => [b.batchId, b.status])).toEqual([
        ['b0000000', 'IN_PROGRESS'],
        ['b0000001', 'IN_PROGRESS'],
        ['b0000002', 'IN_PROGRESS'],
      ]);
    });
  });

  describe('rollback records (kind: rollback)', () => {
    const rollbackCounts = { entries: 10, restored: 3, deleted: 2, alreadyRestored: 0, untouched: 4, handledByOtherBatch: 0, conflicts: 1, verifiedMismatches: 0 };

    it('are claimed, completed and listed beside the batch, never touching the batch record', async () => {
      // GIVEN a DONE batch
      const lease = await claimed('attempt-a');
      await completeBatch(f.deps, lease, { counts: countsOf(5), checksum: 'c'.repeat(64) });
      const batchBefore = await record();
      const watch = await audit();

      // WHEN its rollback record is claimed and completed with the rollback's counts and conflicts key
      const claim = await claimBatch(f.deps, { runId: f.runId, batchId: BATCH, owner: 'rollback-a', leaseSeconds: LEASE_SECONDS, kind: 'rollback' });
      if (claim.kind !== 'claimed') throw new Error('expected the rollback record to be claimed');
      expect(claim.lease).toMatchObject({ kind: 'rollback', attempt: 1 });
      await completeBatch(f.deps, claim.lease, { counts: rollbackCounts, conflictsKey: 'rollbacks/r/conflicts/b0000001/attempt-1.jsonl' });

      // THEN the batch record is as it was, the rollback record is DONE with its own attempt and counts
      expect(await record()).toEqual(batchBefore);
      const rollback = await getBatch(f.deps, f.runId, BATCH, 'rollback');
      expect(rollback).toMatchObject({ status: 'DONE', attempt: 1, counts: rollbackCounts, conflictsKey: 'rollbacks/r/conflicts/b0000001/attempt-1.jsonl' });
      expect(rollback?.checksum).toBeUndefined();
      expect((await listBatches(f.deps, f.runId, 'rollback')).map((b) => b.batchId)).toEqual([BATCH]);
      expect((await listBatches(f.deps, f.runId)).map((b) => b.status)).toEqual(['DONE']);
      // AND the audit trail names the rollback's moves
      expect((await watch.appended()).map((e) => e.type)).toEqual(['RollbackBatchClaimed', 'RollbackBatchRestored']);
      // AND a second claim finds it done
      expect(await claimBatch(f.deps, { runId: f.runId, batchId: BATCH, owner: 'rollback-b', leaseSeconds: LEASE_SECONDS, kind: 'rollback' })).toMatchObject({ kind: 'done', record: { counts: rollbackCounts } });
    });

    it('are fenced like batches: a stale rollback attempt cannot complete or fail it', async () => {
      const claimRollback = async (owner: string) => {
        const claim = await claimBatch(f.deps, { runId: f.runId, batchId: BATCH, owner, leaseSeconds: LEASE_SECONDS, kind: 'rollback' });
        if (claim.kind !== 'claimed') throw new Error(`expected ${owner} to claim`);
        return claim.lease;
      };
      const a = await claimRollback('rollback-a');
      f.clock.advance(LEASE_MS + 1);
      const b = await claimRollback('rollback-b');

      await expect(completeBatch(f.deps, a, { counts: rollbackCounts })).rejects.toThrow(LeaseLostError);
      await expect(failBatch(f.deps, a, new Error('stale'))).rejects.toThrow(LeaseLostError);
      await failBatch(f.deps, b, new Error('SnapshotIntegrityError: missing'));
      expect(await getBatch(f.deps, f.runId, BATCH, 'rollback')).toMatchObject({ status: 'FAILED', attempt: 2, error: 'Error: SnapshotIntegrityError: missing' });
    });
  });
});
