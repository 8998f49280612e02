import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { appendAudit } from './audit';
import { RunStatusError, RunStillRunningError } from './errors';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { RUN_SK, runPk } from './keys';
import { moveRun, requireRun, type RunRecord } from './runRecords';
import { runStatusesAllowing, type RunStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface StartRollbackResult {
  readonly runId: string;
  /** True when the run was already ROLLING_BACK (an interrupted or failed rollback goes on). */
  readonly resumed: boolean;
  /** The status the run had when its rollback first started. */
  readonly rolledBackFrom: RunStatus;
  readonly rollbackStarts: number;
  readonly forced: boolean;
}

/** Attempts before giving up when the run's status keeps changing under us. */
const ROUNDS = 3;

/**
 * Refuses a run whose status does not allow a rollback (RUN_TRANSITIONS): a RUNNING run without
 * `force`, or a status such as ROLLED_BACK. Changes nothing.
 * @throws RunStillRunningError for a RUNNING run without force; RunStatusError otherwise.
 * @example
 *   assertRollbackAllowed(await requireRun(deps, runId), { force: false });
 */
export function assertRollbackAllowed(run: Pick<RunRecord, 'runId' | 'status'>, options: { force: boolean }): void {
  if (runStatusesAllowing('ROLLING_BACK', options).includes(run.status)) return;
  if (run.status === 'RUNNING') throw new RunStillRunningError(run.runId);
  throw new RunStatusError(run.runId, run.status, 'roll it back');
}

/**
 * Moves the run to ROLLING_BACK (RUN_TRANSITIONS): from SUCCEEDED, SUCCEEDED_WITH_FAILURES or
 * FAILED; from ROLLING_BACK to resume; from RUNNING only with `force` (the interlock). Enforced by a
 * condition on the status read, so a run whose status changed meanwhile is judged again.
 * @throws RunNotFoundError; RunStillRunningError for a RUNNING run without force; RunStatusError otherwise (e.g. ROLLED_BACK).
 * @example
 *   const { resumed } = await startRollback(deps, 'orders-fix-1', { force: false });
 */
export async function startRollback(deps: LedgerDeps, runId: string, options: { force: boolean }): Promise<StartRollbackResult> {
  for (let round = 1; ; round++) {
    const run = await requireRun(deps, runId);
    assertRollbackAllowed({ runId, status: run.status }, options);
    const resumed = run.status === 'ROLLING_BACK';
    const now = new Date(deps.clock.nowMs()).toISOString();
    const firstStart = resumed ? '' : ', rolledBackFrom = :from, rollbackStartedAt = :now, rollbackForced = :forced';
    try {
      const { Attributes } = await deps.clients.ddb.send(
        new UpdateCommand({
          TableName: deps.ledgerTable,
          Key: { pk: runPk(runId), sk: RUN_SK },
          UpdateExpression: `SET #status = :rollingBack, updatedAt = :now, rollbackStarts = if_not_exists(rollbackStarts, :zero) + :one${firstStart} REMOVE rollbackError`,
          ConditionExpression: 'attribute_exists(pk) AND #status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':rollingBack': 'ROLLING_BACK' satisfies RunStatus,
            ':from': run.status,
            ':now': now,
            ':zero': 0,
            ':one': 1,
            ...(resumed ? {} : { ':forced': run.status === 'RUNNING' }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const result: StartRollbackResult = {
        runId,
        resumed,
        rolledBackFrom: (Attributes?.rolledBackFrom as RunStatus | undefined) ?? run.status,
        rollbackStarts: Number(Attributes?.rollbackStarts ?? 1),
        forced: Attributes?.rollbackForced === true,
      };
      await appendAudit(deps, {
        runId,
        type: resumed ? 'RollbackResumed' : 'RollbackStarted',
        detail: resumed ? { rollbackStarts: result.rollbackStarts } : { from: run.status, forced: result.forced },
      });
      return result;
    } catch (error) {
      if (!isConditionalCheckFailed(error) || round === ROUNDS) throw error;
    }
  }
}

/** ROLLING_BACK → ROLLED_BACK | ROLLED_BACK_WITH_CONFLICTS, keeping the rollback report on the run. */
export async function markRunRolledBack(
  deps: LedgerDeps,
  runId: string,
  status: Extract<RunStatus, 'ROLLED_BACK' | 'ROLLED_BACK_WITH_CONFLICTS'>,
  report: Record<string, unknown>,
  auditDetail: Record<string, unknown>,
): Promise<void> {
  await moveRun(deps, runId, status, { rollback: report }, 'finish its rollback', { from: ['ROLLING_BACK'], remove: ['rollbackError'] });
  await appendAudit(deps, { runId, type: 'RollbackSucceeded', detail: { status, ...auditDetail } });
}

/**
 * Records why a rollback execution failed. The run stays ROLLING_BACK, so starting the rollback again
 * resumes it; a run no longer ROLLING_BACK (another execution finished it) keeps its status. Audited either way.
 */
export async function recordRollbackFailure(deps: LedgerDeps, runId: string, error: { Error: string; Cause: string }): Promise<void> {
  try {
    await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: { pk: runPk(runId), sk: RUN_SK },
        UpdateExpression: 'SET rollbackError = :error, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND #status = :rollingBack',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':error': error, ':rollingBack': 'ROLLING_BACK', ':now': new Date(deps.clock.nowMs()).toISOString() },
      }),
    );
  } catch (refused) {
    if (!isConditionalCheckFailed(refused)) throw refused;
  }
  await appendAudit(deps, { runId, type: 'RollbackFailed', detail: { ...error } });
}
