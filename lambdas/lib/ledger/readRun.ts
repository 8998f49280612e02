import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Spec } from '../spec';
import type { Deps } from '../runtime/Deps';
import { RunNotFoundError } from './errors';
import { RUN_SK, runPk } from './keys';
import type { RunStatus } from './transitions';

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

/** A stored run item as a RunRecord (its table keys dropped). */
export function runRecordOf(item: Record<string, unknown>): RunRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as RunRecord;
}

/**
 * The run record, read strongly consistent; undefined when the run does not exist.
 * @example
 *   const run = await getRun(deps, 'orders-fix-1'); // run?.status === 'RUNNING'
 */
export async function getRun(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<RunRecord | undefined> {
  const { Item } = await deps.clients.ddb.send(
    new GetCommand({ TableName: deps.ledgerTable, Key: { pk: runPk(runId), sk: RUN_SK }, ConsistentRead: true }),
  );
  return Item ? runRecordOf(Item) : undefined;
}

/**
 * The run record. @throws RunNotFoundError when the run does not exist.
 * @example
 *   const { spec } = await requireRun(deps, 'orders-fix-1');
 */
export async function requireRun(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<RunRecord> {
  const run = await getRun(deps, runId);
  if (!run) throw new RunNotFoundError(runId);
  return run;
}
