import type { Deps } from '../runtime/Deps';
import { cutText } from '../text/cutText';
import { appendBreakerAudit } from './breakerAudit';
import { readBreaker } from './BreakerRecord';
import { REASON_CHARS, type BreakerChange } from './openBreaker';
import { updateBreaker } from './updateBreaker';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** The actor of a close made by the breaker itself after its alarm stayed OK long enough. */
export const AUTO_CLOSE_ACTOR = 'auto-close';

/**
 * Closes the breaker (OPEN → CLOSED) with who and why, and audits BreakerClosed; what opened it
 * stays on the record until it opens again. Paused runs do not resume by themselves: an operator
 * resumes each (backfill resume RUN). Already CLOSED: nothing changes (`changed: false`).
 * @example
 *   await closeBreaker(deps, { by: 'arn:aws:iam::123456789012:user/ana', reason: 'the orders service recovered' });
 */
export async function closeBreaker(deps: LedgerDeps, request: { by: string; reason: string }, whileVersion?: number): Promise<BreakerChange> {
  const closeReason = cutText(request.reason, REASON_CHARS);
  const closed = await updateBreaker(deps, {
    set: { state: 'CLOSED', closedAt: new Date(deps.clock.nowMs()).toISOString(), closedBy: request.by, closeReason },
    whileState: 'OPEN',
    ...(whileVersion === undefined ? {} : { whileVersion }),
  });
  if (!closed) return { changed: false, breaker: await readBreaker(deps) };
  await appendBreakerAudit(deps, { type: 'BreakerClosed', actor: request.by, detail: { reason: closeReason, openedBy: closed.openedBy, openedAt: closed.openedAt } });
  return { changed: true, breaker: closed };
}

/**
 * Closes the breaker by itself (actor `auto-close`) when it is OPEN and its alarm has been OK for at
 * least `autoCloseAfterSeconds`; conditional on the record not having changed since it was read, so
 * an ALARM arriving meanwhile keeps it open. Otherwise nothing changes.
 * @example
 *   await closeBreakerIfOkFor(deps, 300); // { changed: true, ... } once OK since ≥ 5 minutes
 */
export async function closeBreakerIfOkFor(deps: LedgerDeps, autoCloseAfterSeconds: number): Promise<BreakerChange> {
  const breaker = await readBreaker(deps);
  if (breaker.state !== 'OPEN' || breaker.okSince === undefined) return { changed: false, breaker };
  const okForMs = deps.clock.nowMs() - Date.parse(breaker.okSince);
  // A delay of 0 closes on the OK itself, even when its timestamp is a little ahead of this clock.
  if (autoCloseAfterSeconds > 0 && okForMs < autoCloseAfterSeconds * 1000) return { changed: false, breaker };
  return closeBreaker(deps, { by: AUTO_CLOSE_ACTOR, reason: `its alarm has been OK since ${breaker.okSince} (auto-close after ${autoCloseAfterSeconds} s)` }, breaker.version);
}
