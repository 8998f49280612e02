import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Spec } from '../spec';
import type { Deps } from '../runtime/Deps';
import { appendAudit } from './audit';
import { PlanChangedError, RunNotRunningError, RunNotResumableError, RunSpecMismatchError, RunStatusError } from './errors';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { RUN_SK, runPk } from './keys';
import { moveRun, updateRunWhile } from './moveRun';
import { requireRun, type RunRecord } from './readRun';
import { ACTIVE_STATUSES, FINISHED_STATUSES, isStatusIn, runStatusesAllowing, type FinishedStatus, type RunStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** What StartRun returns into the state; `alreadyFinished` tells the workflow to stop at once. */
export type StartRunResult =
  | { readonly runId: string; readonly alreadyFinished: false; readonly resumed: boolean; readonly starts: number }
  | {
      readonly runId: string;
      /** The run had already finished with this spec: nothing was done. */
      readonly alreadyFinished: true;
      readonly resumed: false;
      readonly starts: number;
      readonly status: FinishedStatus;
      /** When it finished (its record's last update). */
      readonly finishedAt: string;
      /** Its recorded report, with `alreadyFinished: true`: the execution's output. */
      readonly report: Record<string, unknown>;
    };

/**
 * Creates the run record, or resumes the run when it exists with the same spec in a status
 * RUN_TRANSITIONS lets resume (RUNNING, FAILED). The same runId and spec always land on the same
 * run; once it has finished (SUCCEEDED, SUCCEEDED_WITH_FAILURES), starting it again is a no-op that
 * returns its recorded report.
 * @throws RunSpecMismatchError when the runId is pinned to another spec, whatever its status;
 *   RunNotResumableError when it cannot resume (e.g. ROLLING_BACK, ROLLED_BACK).
 * @example
 *   const started = await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec) });
 *   if (started.alreadyFinished) return started.report;
 */
export async function startOrResumeRun(
  deps: LedgerDeps & Pick<Deps, 'codeVersion'>,
  input: { runId: string; spec: Spec; specHash: string },
): Promise<StartRunResult> {
  const { runId, spec, specHash } = input;
  if (await createRun(deps, input)) {
    await appendAudit(deps, { runId, type: 'RunStarted', detail: { specHash, transform: spec.transform, mode: spec.mode, codeVersion: deps.codeVersion } });
    return { runId, alreadyFinished: false, resumed: false, starts: 1 };
  }
  // The run exists: another spec is refused in every status; a finished one is left as it is.
  const run = await requireRun(deps, runId);
  if (run.specHash !== specHash) throw new RunSpecMismatchError(runId, run.specHash, specHash);
  if (isStatusIn(run.status, FINISHED_STATUSES)) return alreadyFinished(run, run.status);
  try {
    const resumed = await moveRun(deps, runId, { to: 'RUNNING', specHash, set: { codeVersion: deps.codeVersion }, add: { starts: 1 }, remove: ['error'] });
    await appendAudit(deps, { runId, type: 'RunResumed', detail: { starts: resumed.starts, codeVersion: deps.codeVersion } });
    return { runId, alreadyFinished: false, resumed: true, starts: resumed.starts };
  } catch (refused) {
    // Finalized between the read and the move (a duplicate StartRun behind a finishing execution).
    if (refused instanceof RunNotResumableError && isStatusIn(refused.status as RunStatus, FINISHED_STATUSES)) {
      const finished = await requireRun(deps, runId);
      if (isStatusIn(finished.status, FINISHED_STATUSES)) return alreadyFinished(finished, finished.status);
    }
    throw refused;
  }
}

function alreadyFinished(run: RunRecord, status: FinishedStatus): StartRunResult {
  return { runId: run.runId, alreadyFinished: true, resumed: false, starts: run.starts, status, finishedAt: run.updatedAt, report: { ...run.summary, alreadyFinished: true } };
}

/** The `null → RUNNING` move: puts a new run record unless one exists. @returns whether it was created. */
async function createRun(deps: LedgerDeps & Pick<Deps, 'codeVersion'>, input: { runId: string; spec: Spec; specHash: string }): Promise<boolean> {
  if (!runStatusesAllowing('RUNNING').includes(null)) return false;
  const now = new Date(deps.clock.nowMs()).toISOString();
  try {
    await deps.clients.ddb.send(
      new PutCommand({
        TableName: deps.ledgerTable,
        Item: {
          pk: runPk(input.runId),
          sk: RUN_SK,
          runId: input.runId,
          jobName: input.spec.jobName,
          status: 'RUNNING' satisfies RunStatus,
          spec: input.spec,
          specHash: input.specHash,
          transform: input.spec.transform,
          codeVersion: deps.codeVersion,
          createdAt: now,
          updatedAt: now,
          starts: 1,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Pins the plan on the run the first time; later calls must present the same planHash.
 * @throws PlanChangedError when a resumed run's plan differs from the pinned one; RunNotRunningError
 *   when the run is not in an ACTIVE_STATUSES status.
 * @example
 *   await pinPlan(deps, runId, { planHash, manifestKey, batchCount, recordCount });
 */
export async function pinPlan(
  deps: LedgerDeps,
  runId: string,
  plan: { planHash: string; manifestKey: string; batchCount: number; recordCount: number },
): Promise<{ pinnedNow: boolean }> {
  const pinned = await updateRunWhile(deps, runId, ACTIVE_STATUSES, { set: { ...plan }, requireAbsent: ['planHash'] });
  if (pinned) {
    await appendAudit(deps, { runId, type: 'PlanPinned', detail: { ...plan } });
    return { pinnedNow: true };
  }
  const run = await requireRun(deps, runId);
  if (!isStatusIn(run.status, ACTIVE_STATUSES)) throw new RunNotRunningError(runId, run.status, 'plan it', ACTIVE_STATUSES);
  if (run.planHash !== plan.planHash) throw new PlanChangedError(runId, run.planHash ?? '(none)', plan.planHash);
  return { pinnedNow: false };
}

/**
 * RUNNING → SUCCEEDED | SUCCEEDED_WITH_FAILURES, with the report summary.
 * @example
 *   await markRunSucceeded(deps, runId, 'SUCCEEDED', { ...report });
 */
export async function markRunSucceeded(deps: LedgerDeps, runId: string, status: FinishedStatus, summary: Record<string, unknown>): Promise<void> {
  await moveRun(deps, runId, { to: status, set: { summary } });
  await appendAudit(deps, { runId, type: 'RunSucceeded', detail: { status, ...summary } });
}

/**
 * RUNNING → FAILED, recording the error that ended it. A run already FAILED keeps its first error.
 * @example
 *   await markRunFailed(deps, runId, { Error: 'ReconcileError', Cause: '...' });
 */
export async function markRunFailed(deps: LedgerDeps, runId: string, error: { Error: string; Cause: string }): Promise<void> {
  try {
    await moveRun(deps, runId, { to: 'FAILED', set: { error } });
  } catch (refused) {
    // Already FAILED, also when a duplicate call raced this one in: the first error stays.
    if (refused instanceof RunStatusError && refused.status === 'FAILED') return;
    throw refused;
  }
  await appendAudit(deps, { runId, type: 'RunFailed', detail: { ...error } });
}
