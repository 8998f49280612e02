import type { Deps } from '../runtime/Deps';
import { renewLease, type Lease } from './batchRecords';

/**
 * Keeps a lease alive during long work: `keep()` renews it once a third of it has passed, so a slow
 * attempt keeps its batch and a stale one finds out (LeaseLostError) before it does more.
 * @example
 *   const keeper = new LeaseKeeper(deps, claim.lease, 60);
 *   for (const item of items) { await keeper.keep(); ... }
 *   await completeBatch(deps, keeper.lease, result);
 */
export class LeaseKeeper {
  private renewedAtMs: number;

  constructor(
    private readonly deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>,
    public lease: Lease,
    private readonly leaseSeconds: number,
  ) {
    this.renewedAtMs = deps.clock.nowMs();
  }

  async keep(): Promise<void> {
    if (this.deps.clock.nowMs() - this.renewedAtMs < (this.leaseSeconds * 1000) / 3) return;
    this.lease = await renewLease(this.deps, this.lease, this.leaseSeconds);
    this.renewedAtMs = this.deps.clock.nowMs();
  }
}
