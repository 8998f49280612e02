import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readBreaker } from '../../lambdas/lib/breaker';
import { breakerView, type BreakerView } from '../../lambdas/lib/control';
import { runPk } from '../../lambdas/lib/ledger/keys';
import type { RunControl, RunRecord } from '../../lambdas/lib/ledger';
import { GATED_STATUSES, isStatusIn } from '../../lambdas/lib/ledger/transitions';
import type { Target } from '../target';

/** How many of the controller's last concurrency changes status shows. */
const CHANGES_SHOWN = 5;

/** A run's pause or abort as status shows it: who, why, what triggered it (never its task token). */
export type ControlView = Omit<RunControl, 'taskToken'>;

/** A run's current concurrency (the AIMD controller's record), with its last changes, newest last. */
export interface ConcurrencyView {
  readonly current: number;
  readonly max?: number;
  readonly changes: ReadonlyArray<{ readonly at: string; readonly from: number; readonly to: number; readonly why: string }>;
}

/** What status and watch show about a run's gate: the breaker (one per stack), its pause or abort, its concurrency. */
export interface RunControls {
  readonly breaker: BreakerView;
  readonly control?: ControlView;
  readonly concurrency?: ConcurrencyView;
}

/** The controller record's sort key under the run's partition (written by the worker's AIMD controller). */
const CONTROLLER_SK = 'CONTROLLER';

async function readConcurrency(target: Target, runId: string): Promise<ConcurrencyView | undefined> {
  const { Item } = await target.deps.clients.ddb.send(new GetCommand({ TableName: target.deps.ledgerTable, Key: { pk: runPk(runId), sk: CONTROLLER_SK } }));
  if (!Item || typeof Item.concurrency !== 'number') return undefined;
  const changes = Array.isArray(Item.changes) ? (Item.changes as ConcurrencyView['changes']) : [];
  return { current: Item.concurrency, ...(typeof Item.maxConcurrency === 'number' ? { max: Item.maxConcurrency } : {}), changes: changes.slice(-CHANGES_SHOWN) };
}

/**
 * The breaker, the run's pause or abort and its concurrency, from the ledger.
 * @example
 *   const { breaker, control, concurrency } = await readRunControls(target, run);
 *   // breaker.state === 'OPEN'; control?.by === 'alarm:Backfill-Breaker'; concurrency?.current === 4
 */
export async function readRunControls(target: Target, run: RunRecord): Promise<RunControls> {
  const [breaker, concurrency] = await Promise.all([readBreaker(target.deps), readConcurrency(target, run.runId)]);
  // A pause or abort is shown while it holds the run (gated) or ended it (ABORTED); on a run that
  // resumed or ended otherwise (FAILED, STOPPED, TIMED_OUT) it is only history, kept on the record.
  const current = isStatusIn(run.status, GATED_STATUSES) || run.status === 'ABORTED';
  const stored = current ? (run as RunRecord & { control?: RunControl }).control : undefined;
  const control = stored === undefined ? undefined : (({ taskToken: _token, ...shown }) => shown)(stored);
  return { breaker: breakerView(breaker), ...(control ? { control } : {}), ...(concurrency ? { concurrency } : {}) };
}
