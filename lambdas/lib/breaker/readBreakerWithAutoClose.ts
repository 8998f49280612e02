import type { Deps } from '../runtime/Deps';
import { readBreaker, type BreakerRecord } from './BreakerRecord';
import { closeBreakerIfOkFor } from './closeBreaker';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * The breaker as a gate must see it, from a record already read: an OPEN breaker whose alarm has
 * been OK for its recorded `autoCloseAfterSeconds` is closed first (audited, by `auto-close`), so
 * auto-close happens whatever the run's status (a paused run's CheckGate reads it too).
 * @example
 *   const breaker = await autoClosedBreaker(deps, breakerRecordOf(item)); // CLOSED once OK long enough
 */
export async function autoClosedBreaker(deps: LedgerDeps, breaker: BreakerRecord): Promise<BreakerRecord> {
  if (breaker.state !== 'OPEN' || breaker.autoCloseAfterSeconds === undefined || breaker.okSince === undefined) return breaker;
  return (await closeBreakerIfOkFor(deps, breaker.autoCloseAfterSeconds)).breaker;
}

/**
 * The breaker, read strongly consistent, closed first when auto-close is due (see autoClosedBreaker).
 * Every reader that gates a run (readGate, CheckGate's decideAfterMap) reads it so.
 * @example
 *   const breaker = await readBreakerWithAutoClose(deps);
 *   if (breaker.state === 'OPEN') return pause();
 */
export async function readBreakerWithAutoClose(deps: LedgerDeps): Promise<BreakerRecord> {
  return autoClosedBreaker(deps, await readBreaker(deps));
}
