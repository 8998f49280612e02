import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { runPk } from '../ledger/keys';
import type { Deps } from '../runtime/Deps';

/** The controller record's sort key, in the run's partition next to the run record. */
export const CONTROLLER_SK = 'CONTROLLER';

/** Who changes a run's concurrency, in its audit trail. */
export const CONTROLLER_ACTOR = 'rate-controller';

/** The changes a controller record keeps, newest last. */
export const KEPT_CHANGES = 20;

/** One change of the run's concurrency (times ISO 8601). */
export interface ConcurrencyChange {
  readonly at: string;
  readonly from: number;
  readonly to: number;
  readonly why: string;
  /** The Map Run it was applied to (UpdateMapRun); absent when none was running. */
  readonly mapRunArn?: string;
}

/**
 * The write-rate controller of one run: the concurrency it wants the running Map Run at, between 1
 * and the spec's maxConcurrency, and its last changes. Created at the spec's maxConcurrency by the
 * first batch that reports; every change bumps `version`, on which the next change is conditional.
 */
export interface ControllerRecord {
  readonly runId: string;
  readonly concurrency: number;
  readonly maxConcurrency: number;
  readonly createdAt: string;
  /** The Map Run last set to the controller's concurrency. */
  readonly mapRunArn?: string;
  /** A new Map Run a worker claimed to bring to the controller's concurrency (followRunningMapRun), until it is `mapRunArn`. */
  readonly pendingMapRunArn?: string;
  readonly lastChangeAt?: string;
  readonly lastDecreaseAt?: string;
  readonly lastThrottleAt?: string;
  readonly changes: readonly ConcurrencyChange[];
  readonly version: number;
}

export const controllerKey = (runId: string) => ({ pk: runPk(runId), sk: CONTROLLER_SK });

/** The record as stored, without its keys. */
export function asControllerRecord(item: Record<string, unknown>): ControllerRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as ControllerRecord;
}

/**
 * The run's write-rate controller, or undefined before its first batch reported (or for a run the
 * controller does not steer: no parent execution, or no Step Functions client).
 *
 * @example
 *   const controller = await readController(deps, runId);
 *   controller?.changes.at(-1); // { at, from: 8, to: 4, why: '3 throttled requests in a batch: halved', mapRunArn }
 */
export async function readController(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<ControllerRecord | undefined> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: controllerKey(runId), ConsistentRead: true }));
  return Item ? asControllerRecord(Item) : undefined;
}
