import type { SFNClient } from '@aws-sdk/client-sfn';
import { closeBreaker, openBreaker, type BreakerRecord } from '../breaker';
import { getRun, releaseTaskToken, requestAbort, requestPause, requestResume, RunNotFoundError, type RunControl, type RunRecord, type RunStatus } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { taskStillWaits } from '../approval/taskResults';
import type { CallerControl } from './controlEvent';
import { sendOperatorDecision, type OperatorDecision } from './operatorDecision';
import { RunNoLongerWaitsError } from './errors';

/** The breaker as the control endpoint, breaker status and status show it (no version, no raw alarm payloads). */
export interface BreakerView {
  readonly state: 'OPEN' | 'CLOSED';
  readonly reason?: string;
  readonly openedBy?: string;
  readonly openedAt?: string;
  readonly closedBy?: string;
  readonly closedAt?: string;
  readonly closeReason?: string;
  readonly alarm?: string;
  /** A composite's child alarms that were in ALARM when it opened. */
  readonly triggeringAlarms?: ReadonlyArray<{ readonly name: string; readonly state: string }>;
  /** Since when the alarm that opened it is OK again (auto-close counts from here). */
  readonly okSince?: string;
}

/** What the endpoint answers to an applied action. `changed: false`: it was already so (pause of a paused run, open of an open breaker). */
export type ControlOutcome =
  | { readonly action: 'pause' | 'resume' | 'abort'; readonly runId: string; readonly by: string; readonly changed: boolean; readonly from: RunStatus; readonly status: RunStatus; readonly released: boolean }
  | { readonly action: 'breaker-open' | 'breaker-close'; readonly by: string; readonly changed: boolean; readonly breaker: BreakerView };

/**
 * The breaker as shown to an operator (no record: CLOSED).
 * @example
 *   breakerView(await readBreaker(deps)); // { state: 'OPEN', reason: 'alarm Backfill-Throttles', openedBy: 'alarm:Backfill-Breaker', … }
 */
export function breakerView(record: BreakerRecord | undefined): BreakerView {
  if (record === undefined) return { state: 'CLOSED' };
  const { state, reason, openedBy, openedAt, closedBy, closedAt, closeReason, alarm, triggeringAlarms, okSince } = record;
  return {
    state, reason, openedBy, openedAt, closedBy, closedAt, closeReason,
    ...(alarm ? { alarm: alarm.name } : {}),
    ...(triggeringAlarms && triggeringAlarms.length > 0 ? { triggeringAlarms: triggeringAlarms.map(({ name, state: childState }) => ({ name, state: childState })) } : {}),
    ...(okSince ? { okSince } : {}),
  };
}

const tokenOf = (run: RunRecord): string | undefined => (run as RunRecord & { control?: RunControl }).control?.taskToken;

async function requireRun(deps: Deps, runId: string): Promise<RunRecord> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  return run;
}

/**
 * A paused run's workflow must still wait for the operator before the ledger moves: else the
 * ledger would say RUNNING (or ABORTING) while no workflow ever acts on it. Also a run that still
 * holds the token of a decision whose SendTaskSuccess failed (RUNNING or ABORTING): it is sent again.
 */
async function assertStillWaits(sfn: SFNClient, run: RunRecord): Promise<string | undefined> {
  const token = tokenOf(run);
  if (token !== undefined && !(await taskStillWaits(sfn, token))) throw new RunNoLongerWaitsError(run.runId, run.executionArn);
  return token;
}

/** SendTaskSuccess, then the token leaves the run; a failed send leaves it there for a retried resume or abort. */
async function release(deps: Deps, sfn: SFNClient, runId: string, taskToken: string, decision: OperatorDecision): Promise<void> {
  await sendOperatorDecision(sfn, taskToken, decision);
  await releaseTaskToken(deps, runId, taskToken);
}

/**
 * Applies one operator control as the caller: the ledger move (requestPause / requestResume /
 * requestAbort, which audit who and why), then, for a PAUSED run, SendTaskSuccess with the
 * operator's decision on the token its record holds; or the breaker's open / close (audited under
 * the breaker). A run that is RUNNING or PAUSING only moves in the ledger: the workers' gate and
 * CheckGate do the rest.
 * @throws RunNotFoundError, the ledger's RunStatusError (a status that does not allow the action),
 *   BreakerOpenError (resume while the breaker is OPEN), RunNoLongerWaitsError; nothing is changed then
 * @example
 *   await applyControl(deps, sfn, { action: 'pause', runId: 'orders-fix-1', reason: 'latency alarm on checkout', caller });
 *   // { action: 'pause', runId: 'orders-fix-1', by: caller, changed: true, from: 'RUNNING', status: 'PAUSING', released: false }
 */
export async function applyControl(deps: Deps, sfn: SFNClient, request: CallerControl): Promise<ControlOutcome> {
  const by = request.caller;
  switch (request.action) {
    case 'breaker-open':
    case 'breaker-close': {
      const change = request.action === 'breaker-open' ? openBreaker : closeBreaker;
      const { changed, breaker } = await change(deps, { by, reason: request.reason });
      return { action: request.action, by, changed, breaker: breakerView(breaker) };
    }
    case 'pause': {
      const before = await requireRun(deps, request.runId);
      const run = await requestPause(deps, request.runId, { by, reason: request.reason, trigger: 'operator' });
      return { action: 'pause', runId: request.runId, by, changed: before.status !== run.status, from: before.status, status: run.status, released: false };
    }
    case 'resume': {
      const before = await requireRun(deps, request.runId);
      await assertStillWaits(sfn, before);
      const { run, taskToken } = await requestResume(deps, request.runId, { by, reason: request.reason });
      if (taskToken !== undefined) await release(deps, sfn, request.runId, taskToken, { decision: 'resume', by, reason: request.reason });
      return { action: 'resume', runId: request.runId, by, changed: before.status !== run.status, from: before.status, status: run.status, released: taskToken !== undefined };
    }
    case 'abort': {
      const before = await requireRun(deps, request.runId);
      await assertStillWaits(sfn, before);
      const { run, taskToken } = await requestAbort(deps, request.runId, { by, reason: request.reason, rollback: request.rollback });
      if (taskToken !== undefined) await release(deps, sfn, request.runId, taskToken, { decision: request.rollback ? 'rollback' : 'abort', by, reason: request.reason });
      return { action: 'abort', runId: request.runId, by, changed: before.status !== run.status, from: before.status, status: run.status, released: taskToken !== undefined };
    }
  }
}
