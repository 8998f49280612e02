import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledStart, Spec } from '../spec';
import type { Deps } from '../runtime/Deps';
import { RunNotFoundError } from './errors';
import { RUN_SK, runPk } from './keys';
import type { RunControl } from './control/RunControl';
import type { RunStage } from './stages/StageRecord';
import type { RunRejection } from './rejectionRecords';
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
  /** Who started it (the execution input's `startedBy`, or UNKNOWN_STARTER); a resume's starter is on its RunResumed audit event. */
  readonly startedBy?: string;
  /** The current execution (updated on each resume); only its end moves the run (markExecutionEnded). */
  readonly executionArn?: string;
  /** The schedule and scheduled time that started it. */
  readonly schedule?: ScheduledStart;
  /** Who stopped its execution, why and when (STOPPED; cleared by a resume). */
  readonly stoppedBy?: string;
  readonly stopReason?: string;
  readonly stoppedAt?: string;
  readonly planHash?: string;
  readonly manifestKey?: string;
  readonly batchCount?: number;
  readonly recordCount?: number;
  readonly error?: { Error: string; Cause: string };
  readonly summary?: Record<string, unknown>;
  /** A staged run's current stage and its status (kept current by every stage move; the stage records are the truth). */
  readonly stage?: RunStage;
  /** The status the run had when its rollback first started. */
  readonly rolledBackFrom?: RunStatus;
  /** How many times the rollback was started: 1, plus one per resume. */
  readonly rollbackStarts?: number;
  readonly rollbackStartedAt?: string;
  /** The current rollback execution, and who asked for the rollback (BeginRollback). */
  readonly rollbackExecutionArn?: string;
  readonly rollbackRequestedBy?: string;
  /** Whether a rollback was forced on a run still marked RUNNING. */
  readonly rollbackForced?: boolean;
  /** The last error that stopped the rollback (cleared when it finishes). */
  readonly rollbackError?: { Error: string; Cause: string };
  /** The rollback report, once the run is ROLLED_BACK, ROLLED_BACK_WITH_CONFLICTS or REJECTED_ROLLED_BACK. */
  readonly rollback?: Record<string, unknown>;
  /** Why the run was rejected (REJECTED, REJECTED_ROLLED_BACK): the stage, who rejected it and their comment, or the timeout. */
  readonly rejection?: RunRejection;
  /** A pause or abort in force (PAUSING, PAUSED, ABORTING; kept on ABORTED): who, why, the trigger. */
  readonly control?: RunControl;
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
