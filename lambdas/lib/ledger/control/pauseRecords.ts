import { readBreaker } from '../../breaker/readBreaker';
import type { Deps } from '../../runtime/Deps';
import { appendAudit } from '../audit';
import { moveRun } from '../moveRun';
import { requireRun, type RunRecord } from '../readRun';
import { isStatusIn } from '../transitions';
import { BreakerOpenError } from './errors';
import type { ControlTrigger, RunControl } from './RunControl';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * RUNNING → PAUSING: the gate shuts, no batch starts writing; audited `RunPauseRequested`.
 * A run already PAUSING or PAUSED is returned as it is.
 * @example
 *   await requestPause(deps, runId, { by: 'local:ana', reason: 'live latency', trigger: 'operator' });
 */
export async function requestPause(deps: LedgerDeps, runId: string, request: { by: string; reason: string; trigger: ControlTrigger }): Promise<RunRecord> {
  const run = await requireRun(deps, runId);
  if (isStatusIn(run.status, ['PAUSING', 'PAUSED'])) return run;
  const control: RunControl = { action: 'pause', trigger: request.trigger, by: request.by, reason: request.reason, at: new Date(deps.clock.nowMs()).toISOString() };
  const paused = await moveRun(deps, runId, { to: 'PAUSING', from: 'RUNNING', set: { control } });
  await appendAudit(deps, { runId, type: 'RunPauseRequested', actor: request.by, detail: { reason: request.reason, trigger: request.trigger } });
  return paused;
}

/**
 * PAUSING → PAUSED once the map drained, keeping the token the workflow waits on; audited `RunPaused`.
 * @example
 *   await markRunPaused(deps, runId, { taskToken });
 */
export async function markRunPaused(deps: LedgerDeps, runId: string, request: { taskToken: string }): Promise<RunRecord> {
  const run = await requireRun(deps, runId);
  const control = { ...run.control, taskToken: request.taskToken };
  const paused = await moveRun(deps, runId, { to: 'PAUSED', from: 'PAUSING', set: { control } });
  await appendAudit(deps, { runId, type: 'RunPaused', detail: { trigger: run.control?.trigger ?? 'operator', reason: run.control?.reason ?? '' } });
  return paused;
}

/**
 * PAUSING | PAUSED → RUNNING (an operator's resume), clearing `control`; refused while the
 * breaker is OPEN. Returns the token of a PAUSED run, for the caller to SendTaskSuccess.
 * @throws BreakerOpenError
 * @example
 *   const { taskToken } = await requestResume(deps, runId, { by: 'local:ana' });
 */
export async function requestResume(deps: LedgerDeps, runId: string, request: { by: string; reason?: string }): Promise<{ run: RunRecord; taskToken?: string }> {
  const breaker = await readBreaker(deps);
  if (breaker.state === 'OPEN') throw new BreakerOpenError(runId, breaker.reason ?? '');
  const before = await requireRun(deps, runId);
  const run = await moveRun(deps, runId, { to: 'RUNNING', from: before.status, operatorResume: true, remove: ['control'] });
  await appendAudit(deps, { runId, type: 'RunResumed', actor: request.by, detail: { reason: request.reason ?? '', from: before.status } });
  return { run, ...(before.control?.taskToken !== undefined ? { taskToken: before.control.taskToken } : {}) };
}
