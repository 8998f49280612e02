import type { Deps } from '../../runtime/Deps';
import { appendAudit } from '../audit';
import { moveRun } from '../moveRun';
import { requireRun, type RunRecord } from '../readRun';
import type { RunControl } from './RunControl';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * RUNNING | PAUSING | PAUSED → ABORTING: the gate shuts; audited `RunAbortRequested`. Returns the
 * token of a PAUSED run, for the caller to answer its wait.
 * @example
 *   const { taskToken } = await requestAbort(deps, runId, { by: 'local:ana', reason: 'wrong spec', rollback: true });
 */
export async function requestAbort(deps: LedgerDeps, runId: string, request: { by: string; reason: string; rollback: boolean }): Promise<{ run: RunRecord; taskToken?: string }> {
  const before = await requireRun(deps, runId);
  const control: RunControl = { action: 'abort', trigger: 'operator', by: request.by, reason: request.reason, at: new Date(deps.clock.nowMs()).toISOString(), rollback: request.rollback };
  const run = await moveRun(deps, runId, { to: 'ABORTING', from: before.status, set: { control } });
  await appendAudit(deps, { runId, type: 'RunAbortRequested', actor: request.by, detail: { reason: request.reason, rollback: request.rollback, from: before.status } });
  return { run, ...(before.control?.taskToken !== undefined ? { taskToken: before.control.taskToken } : {}) };
}

/**
 * ABORTING → ABORTED once the map drained; audited `RunAborted`.
 * @example
 *   await markRunAborted(deps, runId);
 */
export async function markRunAborted(deps: LedgerDeps, runId: string): Promise<RunRecord> {
  const run = await moveRun(deps, runId, { to: 'ABORTED', from: 'ABORTING' });
  await appendAudit(deps, { runId, type: 'RunAborted', actor: run.control?.by, detail: { reason: run.control?.reason ?? '', rollback: run.control?.rollback === true } });
  return run;
}

/**
 * PAUSING → STOPPED by the on-failure policy ("stop" or "rollback") once the map drained, with the
 * trigger as `stoppedBy`; audited `RunStopped` (detail.policy).
 * @example
 *   await markRunStoppedByPolicy(deps, runId, { trigger: 'breaker', reason: 'worker errors' });
 */
export async function markRunStoppedByPolicy(deps: LedgerDeps, runId: string, request: { trigger: 'breaker' | 'failures'; reason: string }): Promise<RunRecord> {
  const at = new Date(deps.clock.nowMs()).toISOString();
  const run = await moveRun(deps, runId, { to: 'STOPPED', from: 'PAUSING', set: { stoppedBy: request.trigger, stopReason: request.reason, stoppedAt: at } });
  await appendAudit(deps, { runId, type: 'RunStopped', actor: request.trigger, detail: { policy: run.spec.onFailure ?? 'pause', reason: request.reason } });
  return run;
}
