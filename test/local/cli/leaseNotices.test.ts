import { BatchLeaseHeldError } from '../../../lambdas/lib/ledger';
import { describeReleasedLeases, leaseWaitLine, reportLeaseWaits } from '../../../local/cli/leaseNotices';

const EXPIRES = Date.parse('2026-12-01T08:41:07.000Z');

describe('the CLI lines about leases', () => {
  it('names the batch, until when its lease holds and how long it is, when a worker must wait for it', async () => {
    // GIVEN a worker that finds b0000003 leased by another attempt
    const held = new BatchLeaseHeldError('run-1', 'b0000003', { leaseExpiresAtMs: EXPIRES, leaseSeconds: 600, nowMs: EXPIRES - 412_000 });
    const printed: string[] = [];
    const worker = reportLeaseWaits((line) => printed.push(line))('worker', async () => {
      throw held;
    });
    // WHEN it runs
    await expect(worker({})).rejects.toBe(held);
    // THEN the progress shows what is waited for, and the error still reaches the engine's Retry
    expect(printed).toEqual(['batch b0000003 is leased by a previous attempt until 08:41:07 UTC (lease 600 s); waiting']);
    expect(leaseWaitLine(held)).toBe(printed[0]);
  });

  it('prints nothing for other errors', async () => {
    const printed: string[] = [];
    const worker = reportLeaseWaits((line) => printed.push(line))('worker', async () => {
      throw new Error('boom');
    });
    await expect(worker({})).rejects.toThrow('boom');
    expect(printed).toEqual([]);
  });

  it('says which leases of a gone process a start took over', () => {
    const leases = Array.from({ length: 7 }, (_, i) => ({ batchId: `b000000${i}`, owner: 'dead', attempt: 1, leaseExpiresAtMs: EXPIRES - i }));
    expect(describeReleasedLeases([{ runId: 'run-1', kind: 'rollback', leases }])).toEqual([
      'took over 7 rollback batch leases of run run-1 (b0000000, b0000001, b0000002, b0000003, b0000004 and 2 more) held by an earlier process that is gone, instead of waiting until 08:41:07 UTC',
    ]);
  });
});
