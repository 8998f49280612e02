import type { Deps } from '../runtime/Deps';
import { SERVICE_ACTOR } from './actors';
import { appendAudit } from './audit';
import { RunStatusError } from './errors';
import { moveRun } from './moveRun';
import { requireRun, type RunRecord } from './readRun';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** Why a run ended REJECTED, as its record keeps it (`run.rejection`). */
export interface RunRejection {
  /** The stage whose approval was refused. */
  readonly stage: string;
  /** `rejected`: an approver rejected it; `timed-out`: nobody decided in time (timeout means rejection). */
  readonly outcome: 'rejected' | 'timed-out';
  readonly approvalId?: string;
  /** The approver who rejected, and their comment (`rejected` only). */
  readonly by?: string;
  readonly comment?: string;
  readonly at: string;
}

/**
 * RUNNING → REJECTED (RUN_TRANSITIONS), recording why on the run (`rejection`) and auditing
 * `RunRejected` with the approver who rejected as actor (Step Functions for a timeout). A run
 * already REJECTED keeps its first rejection, so a retried RecordRejection changes nothing.
 * @returns the run record as it is after the call.
 * @throws RunNotRunningError when the run is in another status (e.g. an operator stopped it first).
 * @example
 *   await markRunRejected(deps, runId, { stage: 'canary', outcome: 'rejected', by: 'alice@example.com', comment: 'totals off' });
 */
export async function markRunRejected(deps: LedgerDeps, runId: string, rejection: Omit<RunRejection, 'at'>): Promise<RunRecord> {
  const recorded: RunRejection = { ...rejection, at: new Date(deps.clock.nowMs()).toISOString() };
  let moved: RunRecord;
  try {
    moved = await moveRun(deps, runId, { to: 'REJECTED', set: { rejection: recorded } });
  } catch (refused) {
    if (refused instanceof RunStatusError && refused.status === 'REJECTED') return requireRun(deps, runId);
    throw refused;
  }
  await appendAudit(deps, { runId, type: 'RunRejected', actor: rejection.by ?? SERVICE_ACTOR, detail: { ...recorded } });
  return moved;
}
