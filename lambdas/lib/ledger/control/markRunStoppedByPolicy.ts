import type { Deps } from '../../runtime/Deps';
import { cutText } from '../../text/cutText';
import { appendAudit } from '../audit';
import { RunNotRunningError } from '../errors';
import { moveRun } from '../moveRun';
import { requireRun, type RunRecord } from '../readRun';
import { isStatusIn, type RunStatus } from '../transitions';
import { CONTROL_REASON_CHARS } from './pauseRecords';

const POLICY_STOPPABLE = ['RUNNING', 'PAUSING'] as const satisfies readonly RunStatus[];

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface PolicyStop {
  /** What made the policy apply: the breaker opened, or failures passed the tolerance. */
  readonly trigger: 'breaker' | 'failures';
  readonly reason: string;
  /** The spec's onFailure that stops it: "stop", or "rollback" (the rollback follows). @default 'stop' */
  readonly policy?: 'stop' | 'rollback';
}

/**
 * PAUSING (or RUNNING) → STOPPED by the on-failure policy "stop" or "rollback", once the map
 * drained: `stoppedBy` is the trigger (`breaker` | `failures`), with `stopReason` and `stoppedAt`,
 * audited RunStopped with the policy. The run can resume (same spec) or roll back without force.
 * Already stopped by this trigger: a no-op (a retried call).
 * @throws RunNotFoundError; RunNotRunningError when the run is in another status; RunStatusChangedError when it moved meanwhile
 * @example
 *   await markRunStoppedByPolicy(deps, runId, { trigger: 'breaker', reason: 'breaker opened by alarm:backfill-health', policy: 'rollback' });
 */
export async function markRunStoppedByPolicy(deps: LedgerDeps, runId: string, stop: PolicyStop): Promise<RunRecord> {
  const stopReason = cutText(stop.reason, CONTROL_REASON_CHARS);
  const set = { stoppedBy: stop.trigger, stopReason, stoppedAt: new Date(deps.clock.nowMs()).toISOString() };
  const found = await requireRun(deps, runId);
  // A retried call: already stopped by this trigger.
  if (found.status === 'STOPPED' && found.stoppedBy === stop.trigger) return found;
  // Only a run CheckGate found RUNNING (or PAUSING, when it paused first): an operator's abort or pause wins.
  if (!isStatusIn(found.status, POLICY_STOPPABLE)) throw new RunNotRunningError(runId, found.status, 'stop it by its on-failure policy', POLICY_STOPPABLE);
  const run = await moveRun(deps, runId, { to: 'STOPPED', from: found.status, set });
  await appendAudit(deps, { runId, type: 'RunStopped', actor: stop.trigger, detail: { policy: stop.policy ?? 'stop', trigger: stop.trigger, reason: stopReason } });
  return run;
}
