import type { Deps } from '../../runtime/Deps';
import { updateRunWhile } from '../moveRun';
import { getRun, type RunRecord } from '../readRun';
import { withoutTaskToken } from './RunControl';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * Drops the task token from a run's `control`, keeping who paused or aborted it and why as history:
 * a run that ended (FAILED, STOPPED, TIMED_OUT, ABORTED) has no waiting task to release.
 * @returns the record without the token (the one given when it held none or moved meanwhile)
 * @example
 *   const failed = await dropTaskToken(deps, await moveRun(deps, runId, { to: 'FAILED', set: { error } }));
 */
export async function dropTaskToken(deps: LedgerDeps, run: RunRecord): Promise<RunRecord> {
  if (run.control?.taskToken === undefined) return run;
  return (await updateRunWhile(deps, run.runId, [run.status], { set: { control: withoutTaskToken(run.control) } })) ?? run;
}

/**
 * After SendTaskSuccess released the waiting task with this token: a resumed (RUNNING) run's
 * `control` is cleared, an aborting run keeps it without the token. Until then the token stays on
 * the run, so a resume or abort whose SendTaskSuccess failed can be sent again.
 * @example
 *   await sendOperatorDecision(sfn, taskToken, decision);
 *   await releaseTaskToken(deps, runId, taskToken);
 */
export async function releaseTaskToken(deps: LedgerDeps, runId: string, taskToken: string): Promise<void> {
  const run = await getRun(deps, runId);
  if (run?.control?.taskToken !== taskToken) return;
  if (run.status === 'RUNNING') await updateRunWhile(deps, runId, ['RUNNING'], { remove: ['control'] });
  else await dropTaskToken(deps, run);
}
