import { operationsNotifierOf } from '../breaker/OperationsNotifier';
import { markRunPaused, requireRun, updateRunWhile, type RunRecord } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { DEFAULT_PAUSE_TIMEOUT_SECONDS } from '../spec';
import { RunAbortedWhilePausingError, RunAlreadyResumedError, RunNotGatableError } from './errors';

/**
 * WaitForOperator: the map drained, so the run is PAUSED with the token the workflow now waits on
 * (a retried call, or a re-entered wait, replaces the token of a run already PAUSED). The operator's
 * resume, abort or rollback answers it (SendTaskSuccess); pauseTimeoutSeconds without one aborts.
 * @throws RunAlreadyResumedError (resumed while it drained: the map runs again);
 *   RunAbortedWhilePausingError (aborted while it drained: it ends ABORTED); RunNotGatableError otherwise.
 * @example
 *   await awaitOperator(deps, { runId, taskToken }); // the run is PAUSED
 */
export async function awaitOperator(deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>, request: { runId: string; taskToken: string }): Promise<RunRecord> {
  const { runId, taskToken } = request;
  const run = await requireRun(deps, runId);
  if (run.status === 'PAUSING') return markRunPaused(deps, runId, { taskToken });
  if (run.status === 'PAUSED') {
    const replaced = await updateRunWhile(deps, runId, ['PAUSED'], { set: { control: { ...run.control, taskToken } } });
    if (replaced) return replaced;
    return awaitOperator(deps, request);
  }
  if (run.status === 'RUNNING') throw new RunAlreadyResumedError(runId);
  if (run.status === 'ABORTING') throw new RunAbortedWhilePausingError(runId);
  throw new RunNotGatableError(runId, run.status, 'wait for an operator');
}

/**
 * Tells the operators a run is PAUSED and how to answer it, on the operations topic: the injected
 * notifier (locally the outbox), else the one OPERATIONS_TOPIC_ARN names (on AWS).
 * @throws OperationsConfigurationError when neither is there (the function lacks the operations:notify grant)
 * @example
 *   await notifyPaused(deps, run);
 */
export async function notifyPaused(deps: Pick<Deps, 'operations'>, run: RunRecord): Promise<void> {
  const operations = operationsNotifierOf(deps);
  const why = run.control ? `${run.control.trigger === 'operator' ? 'paused' : `paused by its on-failure policy (${run.control.trigger})`} by ${run.control.by}: ${run.control.reason}` : 'paused';
  await operations.publish({
    TopicArn: operations.topicArn,
    Subject: `Backfill run ${run.runId} is PAUSED`.slice(0, 100),
    Message:
      `Run ${run.runId} (${run.jobName}) is PAUSED: ${why}.\n` +
      `Resume it: backfill resume ${run.runId}\nAbort it: backfill abort ${run.runId} --reason "..." [--rollback]\n` +
      `Without an answer within pauseTimeoutSeconds (${run.spec.pauseTimeoutSeconds ?? DEFAULT_PAUSE_TIMEOUT_SECONDS}) it is aborted.`,
  });
}
