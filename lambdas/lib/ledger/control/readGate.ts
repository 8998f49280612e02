import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { BREAKER_PK, BREAKER_SK, breakerRecordOf } from '../../breaker/BreakerRecord';
import type { Deps } from '../../runtime/Deps';
import { RunNotFoundError } from '../errors';
import { RUN_SK, runPk } from '../keys';
import { runRecordOf } from '../readRun';
import type { RunStatus } from '../transitions';

/** Whether a batch may start writing now, and if not, why. */
export type Gate =
  | { readonly open: true }
  | { readonly open: false; readonly reason: 'breaker' | 'paused' | 'aborted' | 'not-running'; readonly status: RunStatus; readonly detail: string };

/**
 * The gate of a run: its record and the breaker in ONE strongly consistent BatchGetItem. Open only
 * while the run is RUNNING and the breaker CLOSED.
 * @throws RunNotFoundError
 * @example
 *   const gate = await readGate(deps, runId); // { open: false, reason: 'paused', status: 'PAUSING', detail: '...' }
 */
export async function readGate(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<Gate> {
  const keys = [{ pk: runPk(runId), sk: RUN_SK }, { pk: BREAKER_PK, sk: BREAKER_SK }];
  const { Responses } = await deps.clients.ddb.send(new BatchGetCommand({ RequestItems: { [deps.ledgerTable]: { Keys: keys, ConsistentRead: true } } }));
  const items = Responses?.[deps.ledgerTable] ?? [];
  const runItem = items.find((item) => item.pk === runPk(runId));
  if (!runItem) throw new RunNotFoundError(runId);
  const run = runRecordOf(runItem);
  const breaker = breakerRecordOf(items.find((item) => item.pk === BREAKER_PK));
  const why = run.control ? ` by ${run.control.by}: ${run.control.reason}` : '';
  if (run.status === 'PAUSING' || run.status === 'PAUSED') return { open: false, reason: 'paused', status: run.status, detail: `run ${runId} is ${run.status}${why}` };
  if (run.status === 'ABORTING') return { open: false, reason: 'aborted', status: run.status, detail: `run ${runId} is ABORTING${why}` };
  if (run.status !== 'RUNNING') return { open: false, reason: 'not-running', status: run.status, detail: `run ${runId} is ${run.status}` };
  if (breaker.state === 'OPEN') return { open: false, reason: 'breaker', status: run.status, detail: `the breaker is OPEN (${breaker.openedBy ?? 'unknown'}: ${breaker.reason ?? ''})` };
  return { open: true };
}
