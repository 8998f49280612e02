import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { BREAKER_KEY, breakerRecordOf, type BreakerRecord } from '../../breaker/BreakerRecord';
import { autoClosedBreaker } from '../../breaker/readBreakerWithAutoClose';
import type { Deps } from '../../runtime/Deps';
import { GateUnreadableError, RunNotFoundError } from '../errors';
import { RUN_SK, runPk } from '../keys';
import { runRecordOf, type RunRecord } from '../readRun';
import type { RunStatus } from '../transitions';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** Whether a batch of the run may start writing now, and if not, why. */
export type Gate =
  | { readonly open: true }
  | {
      readonly open: false;
      /** breaker: the breaker is OPEN; paused: PAUSING/PAUSED; aborted: ABORTING; not-running: the run ended (or never ran). */
      readonly reason: 'breaker' | 'paused' | 'aborted' | 'not-running';
      readonly status: RunStatus;
      /** For logs and the operator: who shut it and why. */
      readonly detail: string;
    };

/** A BatchGetItem may leave keys unprocessed (throttling); they are read again this many times. */
const ROUNDS = 5;

/**
 * The run's gate: open only while the run is RUNNING and the breaker is not OPEN. One strongly
 * consistent BatchGetItem reads both records (an eventually consistent read could miss a breaker
 * opened a moment ago). An OPEN breaker whose alarm has been OK for its recorded
 * `autoCloseAfterSeconds` is closed here whatever the run's status (audited, by `auto-close`).
 * @throws RunNotFoundError when the run does not exist
 * @example
 *   const gate = await readGate(deps, runId);
 *   if (!gate.open) return { gated: remaining }; // left for resume, not a failure
 */
export async function readGate(deps: LedgerDeps, runId: string): Promise<Gate> {
  const read = await readRunAndBreaker(deps, runId);
  const run = read.run;
  // Before the run's status: a paused run's breaker closes by auto-close too.
  const breaker = await autoClosedBreaker(deps, read.breaker);
  if (run.status === 'PAUSING' || run.status === 'PAUSED') return shut('paused', run, `${run.status}: paused by ${run.control?.by ?? 'unknown'} (${run.control?.trigger ?? 'operator'}): ${run.control?.reason ?? ''}`);
  if (run.status === 'ABORTING') return shut('aborted', run, `ABORTING: aborted by ${run.control?.by ?? 'unknown'}: ${run.control?.reason ?? ''}`);
  if (run.status !== 'RUNNING') return shut('not-running', run, `the run is ${run.status}`);
  if (breaker.state !== 'OPEN') return { open: true };
  return shut('breaker', run, `the breaker is OPEN since ${breaker.openedAt ?? '(unknown)'}, opened by ${breaker.openedBy ?? 'unknown'}: ${breaker.reason ?? ''}`);
}

const shut = (reason: 'breaker' | 'paused' | 'aborted' | 'not-running', run: RunRecord, detail: string): Gate => ({ open: false, reason, status: run.status, detail });

async function readRunAndBreaker(deps: LedgerDeps, runId: string): Promise<{ run: RunRecord; breaker: BreakerRecord }> {
  const runKey = { pk: runPk(runId), sk: RUN_SK };
  const found: Record<string, unknown>[] = [];
  let keys: Record<string, unknown>[] = [runKey, BREAKER_KEY];
  for (let round = 1; keys.length > 0 && round <= ROUNDS; round++) {
    const { Responses, UnprocessedKeys } = await deps.clients.ddb.send(
      new BatchGetCommand({ RequestItems: { [deps.ledgerTable]: { Keys: keys, ConsistentRead: true } } }),
    );
    found.push(...(Responses?.[deps.ledgerTable] ?? []));
    keys = UnprocessedKeys?.[deps.ledgerTable]?.Keys ?? [];
  }
  if (keys.length > 0) throw new GateUnreadableError(runId, ROUNDS);
  const runItem = found.find((item) => item.pk === runKey.pk);
  if (!runItem) throw new RunNotFoundError(runId);
  return { run: runRecordOf(runItem), breaker: breakerRecordOf(found.find((item) => item.pk === BREAKER_KEY.pk)) };
}
