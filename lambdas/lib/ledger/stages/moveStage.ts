import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit } from '../audit';
import { RunNotFoundError, StageTransitionError } from '../errors';
import { isConditionalCheckFailed } from '../isConditionalCheckFailed';
import { runPk, stageSk } from '../keys';
import { updateRunWhile } from '../moveRun';
import { RUN_STATUSES, stageStatusesAllowing, type StageStatus } from '../transitions';
import type { LedgerDeps, StageRecord } from './StageRecord';

/** A status move of one stage record (a row of STAGE_TRANSITIONS). */
export interface StageMove {
  readonly runId: string;
  readonly stage: { readonly index: number; readonly name: string };
  readonly to: StageStatus;
  /** The statuses this caller moves from (each must be a row of the table for `to`; `null`: no record yet). */
  readonly from: readonly (StageStatus | null)[];
  /** Per `from` status, attributes that must hold exactly these values too. */
  readonly requireWhen?: Partial<Record<StageStatus, Readonly<Record<string, unknown>>>>;
  readonly set?: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
  /** Whether a record the move was refused on already is what this move makes (a retried call): then it is returned unchanged. */
  readonly alreadyDone?: (record: StageRecord) => boolean;
  /** The audit event of the move. @default - none */
  readonly audit?: { readonly type: string; readonly detail?: Record<string, unknown> };
}

/**
 * Moves a stage record to `move.to`, conditional in DynamoDB on its current status being one of
 * `move.from` that STAGE_TRANSITIONS allows; then keeps `run.stage` current and audits the move.
 * The one way stage statuses change.
 * @returns the stage record after the move (or as found, when `alreadyDone` holds for it)
 * @throws StageTransitionError naming the status found and the one refused; RunNotFoundError
 * @example
 *   await moveStage(deps, { runId, stage, to: 'PASSED', from: ['VALIDATED'], audit: { type: 'StagePassed' } });
 */
export async function moveStage(deps: LedgerDeps, move: StageMove): Promise<StageRecord> {
  const { runId, stage, to } = move;
  const allowed = stageStatusesAllowing(to).filter((status) => move.from.includes(status));
  const key = { pk: runPk(runId), sk: stageSk(stage.index, stage.name) };
  const moved = allowed.length === 0 ? undefined : await updateStageWhile(deps, key, allowed, move);
  if (!moved) {
    // dynalite returns no item on a failed condition: read it to say why.
    const record = await getStage(deps, key);
    if (record && move.alreadyDone?.(record)) return record;
    throw new StageTransitionError(runId, stage.name, record?.status ?? null, to, allowed);
  }
  const run = await updateRunWhile(deps, runId, RUN_STATUSES, { set: { stage: { name: stage.name, status: to } } });
  if (!run) throw new RunNotFoundError(runId);
  if (move.audit) await appendAudit(deps, { runId, type: move.audit.type, detail: { stage: stage.name, index: stage.index, status: to, ...move.audit.detail } });
  return moved;
}

type StageKey = { readonly pk: string; readonly sk: string };

const stageRecordOf = (item: Record<string, unknown>): StageRecord => {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as StageRecord;
};

/** The move's update, conditional on the record being in one of `from` (with that status's guards); undefined when refused. */
async function updateStageWhile(deps: LedgerDeps, key: StageKey, from: readonly (StageStatus | null)[], move: StageMove): Promise<StageRecord | undefined> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':to': move.to, ':now': new Date(deps.clock.nowMs()).toISOString() };
  const name = (attribute: string): string => ((names[`#${attribute}`] = attribute), `#${attribute}`);
  const value = (id: string, v: unknown): string => ((values[`:${id}`] = v), `:${id}`);
  const sets = ['#status = :to', 'updatedAt = :now', ...Object.entries(move.set ?? {}).map(([a, v]) => `${name(a)} = ${value(`set_${a}`, v)}`)];
  const removes = (move.remove ?? []).map(name);
  const condition = from.map((status, i) => {
    if (status === null) return 'attribute_not_exists(sk)';
    const guards = Object.entries(move.requireWhen?.[status] ?? {}).map(([a, v]) => ` AND ${name(a)} = ${value(`eq${i}_${a}`, v)}`);
    return `(#status = ${value(`from${i}`, status)}${guards.join('')})`;
  });
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition.join(' OR '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stageRecordOf(Attributes ?? {});
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

async function getStage(deps: LedgerDeps, key: StageKey): Promise<StageRecord | undefined> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: key, ConsistentRead: true }));
  return Item ? stageRecordOf(Item) : undefined;
}
