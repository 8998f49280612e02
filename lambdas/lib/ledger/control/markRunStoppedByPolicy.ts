import type { Deps } from '../../runtime/Deps';
import { cutText } from '../../text/cutText';
import { appendAudit } from '../audit';
import { RunStatusError } from '../errors';
import { moveRun } from '../moveRun';
import { requireRun, type RunRecord } from '../readRun';
import { CONTROL_REASON_CHARS } from './pauseRecords';

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
 * @throws RunNotFoundError; RunNotRunningError when the run is in another status
 * @example
 *   await markRunStoppedByPolicy(deps, runId, { trigger: 'breaker', reason: 'breaker opened by alarm:backfill-health', policy: 'rollback' });
 */
export async function markRunStoppedByPolicy(deps: LedgerDeps, runId: string, stop: PolicyStop): Promise<RunRecord> {
  const stopReason = cutText(stop.reason, CONTROL_REASON_CHARS);
  const set = { stoppedBy: stop.trigger, stopReason, stoppedAt: new Date(deps.clock.nowMs()).toISOString() };
  // Only a run the policy's CheckGate found RUNNING (or PAUSING, when it paused first): an abort or an operator's pause wins.
  const from = (await requireRun(deps, runId)).status === 'RUNNING' ? 'RUNNING' : 'PAUSING';
  try {
    const run = await moveRun(deps, runId, { to: 'STOPPED', from, set });
    await appendAudit(deps, { runId, type: 'RunStopped', actor: stop.trigger, detail: { policy: stop.policy ?? 'stop', trigger: stop.trigger, reason: stopReason } });
    return run;
  } catch (refused) {
    if (refused instanceof RunStatusError && refused.status === 'STOPPED') {
      const run = await requireRun(deps, runId);
      if (run.stoppedBy === stop.trigger) return run;
    }
    throw refused;
  }
}
