import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Spec } from '../spec';
import type { Deps } from '../runtime/Deps';
import { appendAudit } from './audit';
import { PlanChangedError, RunNotFoundError, RunSpecMismatchError, RunStatusError } from './errors';
import { isConditionalCheckFailed } from './isConditionalCheckFailed';
import { RUN_SK, runPk } from './keys';
import type { RunStatus } from './transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface RunRecord {
  readonly runId: string;
  readonly jobName: string;
  readonly status: RunStatus;
  readonly spec: Spec;
  readonly specHash: string;
  readonly transform: string;
  readonly codeVersion: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** How many times the run was started: 1, plus one per resume. */
  readonly starts: number;
  readonly planHash?: string;
  readonly manifestKey?: string;
  readonly batchCount?: number;
  readonly recordCount?: number;
  readonly error?: { Error: string; Cause: string };
  readonly summary?: Record<string, unknown>;
  /** The status the run had when its rollback first started. */
  readonly rolledBackFrom?: RunStatus;
  /** How many times the rollback was started: 1, plus one per resume. */
  readonly rollbackStarts?: number;
  readonly rollbackStartedAt?: string;
  /** Whether a rollback was forced on a run still marked RUNNING. */
  readonly rollbackForced?: boolean;
  /** The last error that stopped the rollback (cleared when it finishes). */
  readonly rollbackError?: { Error: string; Cause: string };
  /** The rollback report, once the run is ROLLED_BACK or ROLLED_BACK_WITH_CONFLICTS. */
  readonly rollback?: Record<string, unknown>;
}

export async function getRun(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<RunRecord | undefined> {
  const { Item } = await deps.clients.ddb.send(
    new GetCommand({ TableName: deps.ledgerTable, Key: { pk: runPk(runId), sk: RUN_SK }, ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as RunRecord;
}

export async function requireRun(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<RunRecord> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  return run;
}

export interface StartRunResult {
  readonly runId: string;
  readonly resumed: boolean;
  readonly starts: number;
}

/**
 * Creates the run record, or resumes the run when it exists with the same spec and is RUNNING or
 * FAILED. Starting is idempotent: the same runId and spec always land on the same run.
 * @throws RunSpecMismatchError when the runId is pinned to another spec; RunStatusError when it already ended well.
 */
export async function startOrResumeRun(
  deps: LedgerDeps & Pick<Deps, 'codeVersion'>,
  input: { runId: string; spec: Spec; specHash: string },
): Promise<StartRunResult> {
  const { runId, spec, specHash } = input;
  const now = new Date(deps.clock.nowMs()).toISOString();
  try {
    await deps.clients.ddb.send(
      new PutCommand({
        TableName: deps.ledgerTable,
        Item: {
          pk: runPk(runId),
          sk: RUN_SK,
          runId,
          jobName: spec.jobName,
          status: 'RUNNING' satisfies RunStatus,
          spec,
          specHash,
          transform: spec.transform,
          codeVersion: deps.codeVersion,
          createdAt: now,
          updatedAt: now,
          starts: 1,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await appendAudit(deps, { runId, type: 'RunStarted', detail: { specHash, transform: spec.transform, mode: spec.mode, codeVersion: deps.codeVersion } });
    return { runId, resumed: false, starts: 1 };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  // The run exists: resume it if it is the same spec and still resumable.
  try {
    const { Attributes } = await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: { pk: runPk(runId), sk: RUN_SK },
        UpdateExpression: 'SET #status = :running, updatedAt = :now, starts = starts + :one, codeVersion = :code REMOVE #error',
        ConditionExpression: 'specHash = :specHash AND #status IN (:running, :failed)',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':running': 'RUNNING', ':failed': 'FAILED', ':now': now, ':one': 1, ':specHash': specHash, ':code': deps.codeVersion },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const starts = Number(Attributes?.starts ?? 0);
    await appendAudit(deps, { runId, type: 'RunResumed', detail: { starts, codeVersion: deps.codeVersion } });
    return { runId, resumed: true, starts };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const run = await requireRun(deps, runId);
    if (run.specHash !== specHash) throw new RunSpecMismatchError(runId, run.specHash, specHash);
    throw new RunStatusError(runId, run.status, 'start or resume it (it has already ended; start a new run under another name)');
  }
}

/**
 * Pins the plan on the run the first time; later calls must present the same planHash.
 * @throws PlanChangedError when a resumed run's plan differs from the pinned one.
 */
export async function pinPlan(
  deps: LedgerDeps,
  runId: string,
  plan: { planHash: string; manifestKey: string; batchCount: number; recordCount: number },
): Promise<{ pinnedNow: boolean }> {
  try {
    await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: { pk: runPk(runId), sk: RUN_SK },
        UpdateExpression: 'SET planHash = :h, manifestKey = :k, batchCount = :b, recordCount = :r, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND #status = :running AND attribute_not_exists(planHash)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':h': plan.planHash,
          ':k': plan.manifestKey,
          ':b': plan.batchCount,
          ':r': plan.recordCount,
          ':running': 'RUNNING',
          ':now': new Date(deps.clock.nowMs()).toISOString(),
        },
      }),
    );
    await appendAudit(deps, { runId, type: 'PlanPinned', detail: { ...plan } });
    return { pinnedNow: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const run = await requireRun(deps, runId);
  if (run.status !== 'RUNNING') throw new RunStatusError(runId, run.status, 'plan it');
  if (run.planHash !== plan.planHash) throw new PlanChangedError(runId, run.planHash ?? '(none)', plan.planHash);
  return { pinnedNow: false };
}

/** RUNNING → SUCCEEDED | SUCCEEDED_WITH_FAILURES, with the report summary. */
export async function markRunSucceeded(
  deps: LedgerDeps,
  runId: string,
  status: Extract<RunStatus, 'SUCCEEDED' | 'SUCCEEDED_WITH_FAILURES'>,
  summary: Record<string, unknown>,
): Promise<void> {
  await moveRun(deps, runId, status, { summary }, 'finalize it');
  await appendAudit(deps, { runId, type: 'RunSucceeded', detail: { status, ...summary } });
}

/** RUNNING → FAILED, recording the error that ended it. A run already FAILED keeps its first error. */
export async function markRunFailed(deps: LedgerDeps, runId: string, error: { Error: string; Cause: string }): Promise<void> {
  try {
    await moveRun(deps, runId, 'FAILED', { error }, 'mark it failed');
  } catch (refused) {
    // Already FAILED, also when a duplicate call raced this one in: the first error stays.
    if (refused instanceof RunStatusError && refused.status === 'FAILED') return;
    throw refused;
  }
  await appendAudit(deps, { runId, type: 'RunFailed', detail: { ...error } });
}

/**
 * Moves the run to `to` when it is in one of `from` (default RUNNING), setting `fields` and removing
 * `remove`. @throws RunNotFoundError, or RunStatusError naming the status found.
 */
export async function moveRun(
  deps: LedgerDeps,
  runId: string,
  to: RunStatus,
  fields: Record<string, unknown>,
  action: string,
  options: { from?: readonly RunStatus[]; remove?: readonly string[] } = {},
): Promise<void> {
  const from = options.from ?? ['RUNNING'];
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':to': to, ':now': new Date(deps.clock.nowMs()).toISOString() };
  from.forEach((status, i) => (values[`:from${i}`] = status));
  const sets = ['#status = :to', 'updatedAt = :now'];
  for (const [name, value] of Object.entries(fields)) {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  const removes = (options.remove ?? []).map((name) => {
    names[`#${name}`] = name;
    return `#${name}`;
  });
  try {
    await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: { pk: runPk(runId), sk: RUN_SK },
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const run = await requireRun(deps, runId);
    throw new RunStatusError(runId, run.status, action);
  }
}
