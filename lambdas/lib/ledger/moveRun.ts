import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import {
  RunNotFoundError,
  RunNotResumableError,
  RunNotRollbackableError,
  RunNotRollingBackError,
  RunNotRunningError,
  RunSpecMismatchError,
  RunStatusChangedError,
  RunStillRunningError,
  type RunStatusError,
} from './errors';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { RUN_SK, runPk } from './keys';
import { getRun, runRecordOf, type RunRecord } from './readRun';
import { requiresForce, runStatusesAllowing, type RunStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** What a write changes on the run record besides `updatedAt`. */
export interface RunUpdate {
  readonly set?: Readonly<Record<string, unknown>>;
  /** Numbers added to attributes (an absent attribute counts as 0). */
  readonly add?: Readonly<Record<string, number>>;
  readonly remove?: readonly string[];
  /** Attributes that must hold exactly these values, or the write is refused. */
  readonly requireEqual?: Readonly<Record<string, unknown>>;
  /** Attributes that must be absent, or the write is refused. */
  readonly requireAbsent?: readonly string[];
}

/** A status move of the run record (a row of RUN_TRANSITIONS). */
export interface RunMove extends RunUpdate {
  readonly to: RunStatus;
  /** Allows the moves the table marks `requires: 'force'`. @default false */
  readonly force?: boolean;
  /** Allows the moves the table marks `requires: 'operator-resume'` (an operator's resume of a pause). @default false */
  readonly operatorResume?: boolean;
  /**
   * The status the caller read and decided on; the move is then conditional on exactly that one
   * (which must be one the table allows), so a status changed meanwhile is refused with
   * RunStatusChangedError and can be judged again. @default - any status the table allows
   */
  readonly from?: RunStatus;
  /** The spec the caller presents; a run pinned to another one is refused with RunSpecMismatchError. */
  readonly specHash?: string;
}

const notNull = (statuses: ReadonlyArray<RunStatus | null>): RunStatus[] => statuses.filter((s): s is RunStatus => s !== null);

/** Per target status: what the move is called, and the named error that refuses it. */
const MOVES: Readonly<Record<RunStatus, { action: string; refuse: (runId: string, status: RunStatus, allowed: readonly RunStatus[]) => RunStatusError }>> = {
  RUNNING: { action: 'start or resume it', refuse: (runId, status, allowed) => new RunNotResumableError(runId, status, allowed) },
  SUCCEEDED: { action: 'finalize it', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'finalize it', allowed) },
  SUCCEEDED_WITH_FAILURES: { action: 'finalize it', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'finalize it', allowed) },
  FAILED: { action: 'mark it failed', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'mark it failed', allowed) },
  STOPPED: { action: 'mark it stopped', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'mark it stopped', allowed) },
  TIMED_OUT: { action: 'mark it timed out', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'mark it timed out', allowed) },
  ROLLING_BACK: { action: 'roll it back', refuse: (runId, status, allowed) => new RunNotRollbackableError(runId, status, allowed) },
  ROLLED_BACK: { action: 'finish its rollback', refuse: (runId, status, allowed) => new RunNotRollingBackError(runId, status, allowed) },
  ROLLED_BACK_WITH_CONFLICTS: { action: 'finish its rollback', refuse: (runId, status, allowed) => new RunNotRollingBackError(runId, status, allowed) },
  REJECTED: { action: 'mark it rejected', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'mark it rejected', allowed) },
  REJECTED_ROLLED_BACK: { action: 'finish its rollback', refuse: (runId, status, allowed) => new RunNotRollingBackError(runId, status, allowed) },
  PAUSING: { action: 'pause it', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'pause it', allowed) },
  PAUSED: { action: 'mark it paused', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'mark it paused', allowed) },
  ABORTING: { action: 'abort it', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'abort it', allowed) },
  ABORTED: { action: 'mark it aborted', refuse: (runId, status, allowed) => new RunNotRunningError(runId, status, 'mark it aborted', allowed) },
};

/**
 * Moves the run to `move.to`, conditional in DynamoDB on its current status being one RUN_TRANSITIONS
 * allows (narrowed to `move.from` when given) and on `move.specHash`; sets `updatedAt`. The one way
 * run statuses change: a new status is a row in the table (and an entry in MOVES above).
 * @returns the run record after the move.
 * @throws RunNotFoundError; RunSpecMismatchError; RunStillRunningError (a force-only move without
 *   force); RunStatusChangedError (`from` no longer holds); otherwise the move's named refusal
 *   (RunNotResumableError, RunNotRunningError, RunNotRollbackableError, RunNotRollingBackError).
 * @example
 *   await moveRun(deps, 'orders-fix-1', { to: 'FAILED', set: { error } });
 */
export async function moveRun(deps: LedgerDeps, runId: string, move: RunMove): Promise<RunRecord> {
  const allowed = notNull(runStatusesAllowing(move.to, { force: move.force, operatorResume: move.operatorResume }));
  const statuses = move.from === undefined ? allowed : allowed.filter((s) => s === move.from);
  const requireEqual = { ...move.requireEqual, ...(move.specHash === undefined ? {} : { specHash: move.specHash }) };
  const updated = statuses.length === 0 ? undefined : await updateRunWhile(deps, runId, statuses, { ...move, requireEqual, set: { ...move.set, status: move.to } });
  if (updated) return updated;
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  if (move.specHash !== undefined && run.specHash !== move.specHash) throw new RunSpecMismatchError(runId, run.specHash, move.specHash);
  if (allowed.includes(run.status)) throw new RunStatusChangedError(runId, run.status, move.from ?? allowed.join(' or '), MOVES[move.to].action);
  if (requiresForce(run.status, move.to) && move.force !== true) throw new RunStillRunningError(runId);
  throw MOVES[move.to].refuse(runId, run.status, allowed);
}

/**
 * Updates the run record only while its status is one of `statuses` (and `update`'s requirements
 * hold); sets `updatedAt`. Every run-record update goes through here.
 * @returns the record after the update, or undefined when a condition refused it (the caller says what that means).
 * @example
 *   const pinned = await updateRunWhile(deps, runId, ACTIVE_STATUSES, { set: { planHash }, requireAbsent: ['planHash'] });
 */
export async function updateRunWhile(deps: LedgerDeps, runId: string, statuses: readonly RunStatus[], update: RunUpdate): Promise<RunRecord | undefined> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':now': new Date(deps.clock.nowMs()).toISOString() };
  const name = (attribute: string): string => {
    names[`#${attribute}`] = attribute;
    return `#${attribute}`;
  };
  const value = (key: string, v: unknown): string => {
    values[`:${key}`] = v;
    return `:${key}`;
  };
  const sets = ['updatedAt = :now'];
  for (const [attribute, v] of Object.entries(update.set ?? {})) sets.push(`${name(attribute)} = ${value(`set_${attribute}`, v)}`);
  for (const [attribute, n] of Object.entries(update.add ?? {})) {
    sets.push(`${name(attribute)} = if_not_exists(${name(attribute)}, ${value('zero', 0)}) + ${value(`add_${attribute}`, n)}`);
  }
  const removes = (update.remove ?? []).map(name);
  const conditions = [
    'attribute_exists(pk)',
    `#status IN (${statuses.map((s, i) => value(`from${i}`, s)).join(', ')})`,
    ...Object.entries(update.requireEqual ?? {}).map(([attribute, v]) => `${name(attribute)} = ${value(`eq_${attribute}`, v)}`),
    ...(update.requireAbsent ?? []).map((attribute) => `attribute_not_exists(${name(attribute)})`),
  ];
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: { pk: runPk(runId), sk: RUN_SK },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return runRecordOf(Attributes ?? {});
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}
