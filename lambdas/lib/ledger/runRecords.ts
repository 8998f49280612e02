import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledStart, Spec } from '../spec';
import { UNKNOWN_STARTER } from './actors';
import type { Deps } from '../runtime/Deps';
import { appendAudit } from './audit';
import { dropTaskToken } from './control/taskTokenRecords';
import { PlanChangedError, RunNotRunningError, RunNotResumableError, RunSpecMismatchError, RunStatusError } from './errors';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { RUN_SK, runPk } from './keys';
import { moveRun, updateRunWhile } from './moveRun';
import { requireRun, type RunRecord } from './readRun';
import { ACTIVE_STATUSES, FINISHED_STATUSES, GATED_STATUSES, isStatusIn, runStatusesAllowing, type FinishedStatus, type RunStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** What StartRun returns into the state; `alreadyStarted` / `alreadyFinished` tell the workflow to stop at once. */
export type StartRunResult =
  | { readonly runId: string; readonly alreadyStarted: false; readonly alreadyFinished: false; readonly resumed: boolean; readonly starts: number }
  | {
      readonly runId: string;
      readonly alreadyStarted: false;
      /** The run had already finished with this spec: nothing was done. */
      readonly alreadyFinished: true;
      readonly resumed: false;
      readonly starts: number;
      readonly status: FinishedStatus;
      /** When it finished (its record's last update). */
      readonly finishedAt: string;
      /** Its recorded report, with `alreadyFinished: true`: the execution's output. */
      readonly report: Record<string, unknown>;
    }
  | {
      readonly runId: string;
      /** A schedule fired again for a scheduled time whose run exists (any status): nothing was done. */
      readonly alreadyStarted: true;
      readonly alreadyFinished: false;
      readonly resumed: false;
      readonly starts: number;
      readonly status: RunStatus;
      readonly schedule: ScheduledStart;
    };

/** What StartRun is given: the validated execution input (ValidateSpec's output). */
export interface StartRunInput {
  readonly runId: string;
  readonly spec: Spec;
  readonly specHash: string;
  /** Who starts (or resumes) it. @default UNKNOWN_STARTER */
  readonly startedBy?: string | null;
  /** The execution doing it; recorded so that only its end (markExecutionEnded) moves the run. @default - none recorded */
  readonly executionArn?: string | null;
  /** The schedule firing this start, when the runId came from it: an existing run is then left alone. */
  readonly scheduled?: ScheduledStart | null;
}

/** What a resume clears: the last execution's ending. */
const ENDING_ATTRIBUTES = ['error', 'stoppedBy', 'stopReason', 'stoppedAt', 'control'];

/**
 * Creates the run record, or resumes the run when it exists with the same spec in a status
 * RUN_TRANSITIONS lets resume (RUNNING, FAILED, STOPPED, TIMED_OUT), recording who started it and
 * the current execution. The same runId and spec always land on the same run; once it has finished
 * (SUCCEEDED, SUCCEEDED_WITH_FAILURES), starting it again is a no-op that returns its recorded
 * report. A gated run (PAUSING, PAUSED, ABORTING) re-entered by its own execution keeps its status. A scheduled start (`scheduled`) whose run exists, in any status, is a no-op too: a retried
 * or duplicated schedule invocation starts one run.
 * @throws RunSpecMismatchError when the runId is pinned to another spec, whatever its status;
 *   RunNotResumableError when it cannot resume (e.g. ROLLING_BACK, ROLLED_BACK).
 * @example
 *   const started = await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec), startedBy: 'local:ana', executionArn });
 *   if (started.alreadyFinished) return started.report;
 */
export async function startOrResumeRun(deps: LedgerDeps & Pick<Deps, 'codeVersion'>, input: StartRunInput): Promise<StartRunResult> {
  const { runId, spec, specHash } = input;
  const actor = input.startedBy ?? UNKNOWN_STARTER;
  if (await createRun(deps, { ...input, startedBy: actor })) {
    await appendAudit(deps, { runId, type: 'RunStarted', actor, detail: { specHash, transform: spec.transform, mode: spec.mode, codeVersion: deps.codeVersion, ...executionDetail(input) } });
    return { runId, alreadyStarted: false, alreadyFinished: false, resumed: false, starts: 1 };
  }
  const run = await requireRun(deps, runId);
  // A schedule's duplicate: whatever became of the run, this firing has already started it.
  if (input.scheduled) return { runId, alreadyStarted: true, alreadyFinished: false, resumed: false, starts: run.starts, status: run.status, schedule: input.scheduled };
  // The run exists: another spec is refused in every status; a finished one is left as it is.
  if (run.specHash !== specHash) throw new RunSpecMismatchError(runId, run.specHash, specHash);
  if (isStatusIn(run.status, FINISHED_STATUSES)) return alreadyFinished(run, run.status);
  if (isStatusIn(run.status, GATED_STATUSES) && input.executionArn && input.executionArn === run.executionArn) {
    // The gated run's own execution, started again from its first state (a local cloud restarted
    // under it): the status stays, so its map drains at once and CheckGate waits for the operator
    // again (PAUSING / PAUSED) or ends it ABORTED (ABORTING). Only an operator resumes a pause.
    await appendAudit(deps, { runId, type: 'RunReentered', actor, detail: { status: run.status, starts: run.starts, codeVersion: deps.codeVersion, ...executionDetail(input) } });
    return { runId, alreadyStarted: false, alreadyFinished: false, resumed: true, starts: run.starts };
  }
  try {
    // The new execution is the run's now; without one, no execution's end may move the run.
    const execution = input.executionArn ? { set: { executionArn: input.executionArn }, remove: [] } : { set: {}, remove: ['executionArn'] };
    const resumed = await moveRun(deps, runId, {
      to: 'RUNNING',
      specHash,
      set: { codeVersion: deps.codeVersion, ...execution.set },
      add: { starts: 1 },
      remove: [...ENDING_ATTRIBUTES, ...execution.remove],
    });
    await appendAudit(deps, { runId, type: 'RunResumed', actor, detail: { starts: resumed.starts, from: run.status, codeVersion: deps.codeVersion, ...executionDetail(input) } });
    return { runId, alreadyStarted: false, alreadyFinished: false, resumed: true, starts: resumed.starts };
  } catch (refused) {
    // Finalized between the read and the move (a duplicate StartRun behind a finishing execution).
    if (refused instanceof RunNotResumableError && isStatusIn(refused.status as RunStatus, FINISHED_STATUSES)) {
      const finished = await requireRun(deps, runId);
      if (isStatusIn(finished.status, FINISHED_STATUSES)) return alreadyFinished(finished, finished.status);
    }
    throw refused;
  }
}

const executionDetail = (input: StartRunInput): Record<string, unknown> => ({
  ...(input.executionArn ? { executionArn: input.executionArn } : {}),
  ...(input.scheduled ? { schedule: input.scheduled } : {}),
});

function alreadyFinished(run: RunRecord, status: FinishedStatus): StartRunResult {
  return {
    runId: run.runId,
    alreadyStarted: false,
    alreadyFinished: true,
    resumed: false,
    starts: run.starts,
    status,
    finishedAt: run.updatedAt,
    report: { ...run.summary, alreadyFinished: true },
  };
}

/** The `null → RUNNING` move: puts a new run record unless one exists. @returns whether it was created. */
async function createRun(deps: LedgerDeps & Pick<Deps, 'codeVersion'>, input: StartRunInput & { startedBy: string }): Promise<boolean> {
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
          startedBy: input.startedBy,
          ...(input.executionArn ? { executionArn: input.executionArn } : {}),
          ...(input.scheduled ? { schedule: input.scheduled } : {}),
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

// A pause or abort may land before Plan: pinning is harmless, the map that follows is gated and CheckGate drains it.
const PLANNABLE_STATUSES = [...ACTIVE_STATUSES, ...GATED_STATUSES] as const;

/**
 * Pins the plan on the run the first time; later calls must present the same planHash.
 * @throws PlanChangedError when a resumed run's plan differs from the pinned one; RunNotRunningError
 *   when the run is neither RUNNING nor gated (PAUSING, PAUSED, ABORTING).
 * @example
 *   await pinPlan(deps, runId, { planHash, manifestKey, batchCount, recordCount });
 */
export async function pinPlan(
  deps: LedgerDeps,
  runId: string,
  plan: { planHash: string; manifestKey: string; batchCount: number; recordCount: number },
): Promise<{ pinnedNow: boolean }> {
  const pinned = await updateRunWhile(deps, runId, PLANNABLE_STATUSES, { set: { ...plan }, requireAbsent: ['planHash'] });
  if (pinned) {
    await appendAudit(deps, { runId, type: 'PlanPinned', detail: { ...plan } });
    return { pinnedNow: true };
  }
  const run = await requireRun(deps, runId);
  if (!isStatusIn(run.status, PLANNABLE_STATUSES)) throw new RunNotRunningError(runId, run.status, 'plan it', PLANNABLE_STATUSES);
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
    // The run ended: no task waits for an operator's decision any more (who paused it stays as history).
    await dropTaskToken(deps, await moveRun(deps, runId, { to: 'FAILED', set: { error } }));
  } catch (refused) {
    // Already FAILED, also when a duplicate call raced this one in: the first error stays.
    if (refused instanceof RunStatusError && refused.status === 'FAILED') return;
    throw refused;
  }
  await appendAudit(deps, { runId, type: 'RunFailed', detail: { ...error } });
}
