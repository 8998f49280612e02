// STAND-IN written by helper E against i12-contracts.md ("C — ledger control records"), the thinnest
// version E's operator controls need to type-check and be tested; helper C owns this module: at
// merge, C's version replaces this file.
import type { Deps } from '../../runtime/Deps';
import { BreakerOpenError, readBreaker } from '../../breaker';
import { appendAudit } from '../audit';
import { RunNotFoundError, RunNotRunningError, RunStatusChangedError } from '../errors';
import { moveRun, updateRunWhile } from '../moveRun';
import { getRun, type RunRecord } from '../readRun';
import type { RunStatus } from '../transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** Why the gate of a run is shut, on its run record while PAUSING, PAUSED or ABORTING. */
export interface RunControl {
  readonly action: 'pause' | 'abort';
  readonly trigger: 'operator' | 'breaker' | 'failures';
  readonly by: string;
  readonly reason: string;
  readonly at: string;
  readonly rollback?: boolean;
  /** Only while PAUSED; never logged. */
  readonly taskToken?: string;
}

const controlOf = (run: RunRecord): RunControl | undefined => (run as RunRecord & { control?: RunControl }).control;
const nowIso = (deps: LedgerDeps): string => new Date(deps.clock.nowMs()).toISOString();

/** RUNNING → PAUSING; a run already PAUSING or PAUSED is returned as it is. */
export async function requestPause(deps: LedgerDeps, runId: string, request: { by: string; reason: string; trigger: RunControl['trigger'] }): Promise<RunRecord> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  if (run.status === 'PAUSING' || run.status === 'PAUSED') return run;
  const control: RunControl = { action: 'pause', trigger: request.trigger, by: request.by, reason: request.reason, at: nowIso(deps) };
  const moved = await moveRun(deps, runId, { to: 'PAUSING', set: { control } });
  await appendAudit(deps, { runId, type: 'RunPauseRequested', actor: request.by, detail: { reason: request.reason, trigger: request.trigger } });
  return moved;
}

/** PAUSING → PAUSED, storing the waiting task's token. */
export async function markRunPaused(deps: LedgerDeps, runId: string, request: { taskToken: string }): Promise<RunRecord> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  const paused = await moveRun(deps, runId, { to: 'PAUSED', from: 'PAUSING', set: { control: { ...controlOf(run), taskToken: request.taskToken } } });
  await appendAudit(deps, { runId, type: 'RunPaused', detail: {} });
  return paused;
}

/** PAUSING | PAUSED → RUNNING (an operator's resume); refused while the breaker is OPEN. */
export async function requestResume(deps: LedgerDeps, runId: string, request: { by: string; reason?: string }): Promise<{ run: RunRecord; taskToken?: string }> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  if (run.status !== 'PAUSING' && run.status !== 'PAUSED') throw new RunNotRunningError(runId, run.status, 'resume it', ['PAUSING', 'PAUSED']);
  const breaker = await readBreaker(deps);
  if (breaker.state === 'OPEN') throw new BreakerOpenError(runId, breaker.openedBy, breaker.reason, breaker.openedAt);
  const resumed = await updateRunWhile(deps, runId, [run.status], { set: { status: 'RUNNING' }, remove: ['control'] });
  if (!resumed) throw new RunStatusChangedError(runId, (await getRun(deps, runId))?.status ?? 'gone', run.status, 'resume it');
  await appendAudit(deps, { runId, type: 'RunResumed', actor: request.by, detail: { reason: request.reason ?? '', from: run.status } });
  const taskToken = controlOf(run)?.taskToken;
  return { run: resumed, ...(taskToken === undefined ? {} : { taskToken }) };
}

/** RUNNING | PAUSING | PAUSED → ABORTING; a run already ABORTING is returned as it is. */
export async function requestAbort(deps: LedgerDeps, runId: string, request: { by: string; reason: string; rollback: boolean }): Promise<{ run: RunRecord; taskToken?: string }> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  if (run.status === 'ABORTING') return { run };
  const control: RunControl = { action: 'abort', trigger: 'operator', by: request.by, reason: request.reason, at: nowIso(deps), rollback: request.rollback };
  const aborting = await moveRun(deps, runId, { to: 'ABORTING', from: run.status as RunStatus, set: { control } });
  await appendAudit(deps, { runId, type: 'RunAbortRequested', actor: request.by, detail: { reason: request.reason, rollback: request.rollback, from: run.status } });
  const taskToken = run.status === 'PAUSED' ? controlOf(run)?.taskToken : undefined;
  return { run: aborting, ...(taskToken === undefined ? {} : { taskToken }) };
}
