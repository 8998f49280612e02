import { readBreakerWithAutoClose } from '../breaker';
import { markRunStoppedByPolicy, requestPause, requireRun, type RunRecord } from '../ledger';
import { explainRunFailure } from '../run';
import type { PlannedStage } from '../stages/PlannedStage';
import type { Deps } from '../runtime/Deps';
import { DEFAULT_ON_FAILURE, DEFAULT_PAUSE_TIMEOUT_SECONDS, type Spec } from '../spec';
import { RunNotGatableError } from './errors';
import type { GateDecision, GateTrigger } from './GateDecision';
import { countRerun, MAX_RERUNS_WITHOUT_PROGRESS } from './countRerun';
import { leftBatches } from './leftBatches';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** CheckGate after a distributed Map: the run, its plan, the stage of a staged run, and the Map's error when it failed past the tolerance. */
export interface AfterMapInput {
  readonly runId: string;
  readonly spec: Spec;
  readonly plan: { readonly batchCount: number };
  readonly stage?: Pick<PlannedStage, 'name' | 'firstBatch' | 'batchCount'>;
  readonly error?: { readonly Error: string; readonly Cause: string };
}

/** The actor of a policy applied because failures passed the tolerance. */
export const FAILURES_ACTOR = 'backfill (toleratedFailurePercent)';

/**
 * Where the workflow goes after a distributed Map (or its Catch of
 * States.ExceedToleratedFailureThreshold), from the run's status, the breaker and the map's batches:
 * ABORTING → abort; PAUSING/PAUSED (an operator's pause) → pause; RUNNING with the breaker OPEN or
 * failures past the tolerance → the spec's onFailure (pause: the run is PAUSING; stop and rollback:
 * it is STOPPED, the trigger recorded; failures are explained as MarkRunFailed explains them, naming
 * the failed batches and their errors); RUNNING with batches the gate left → rerun; else continue.
 * A breaker open when nothing is left to write (the last map settled: an unstaged run's, or the
 * last stage's) → continue. A map rerun more than MAX_RERUNS_WITHOUT_PROGRESS times leaving the
 * same batches (a child failing before its first claim) → the onFailure policy, trigger failures.
 * Safe to call again (a retried Lambda): a policy half applied is finished, not applied twice.
 * @throws RunNotGatableError for a run in another status (FAILED, STOPPED by an operator, ...).
 * @example
 *   await decideAfterMap(deps, { runId, spec, plan }); // { next: 'continue', pauseTimeoutSeconds: 86400 }
 */
export async function decideAfterMap(deps: Deps, input: AfterMapInput): Promise<GateDecision> {
  const { runId, spec } = input;
  const pauseTimeoutSeconds = spec.pauseTimeoutSeconds ?? DEFAULT_PAUSE_TIMEOUT_SECONDS;
  const policy = spec.onFailure ?? DEFAULT_ON_FAILURE;
  const run = await requireRun(deps, runId);
  const recorded = triggerOf(run);

  if (run.status === 'ABORTING') return { next: 'abort', abortRollback: run.control?.rollback === true, pauseTimeoutSeconds, ...withTrigger(recorded) };
  if (run.status === 'PAUSING' || run.status === 'PAUSED') {
    // A pause the policy itself asked for, whose stop did not get recorded (a retried call): finish it.
    if (recorded && recorded.kind !== 'operator' && policy !== 'pause' && run.status === 'PAUSING') return stopByPolicy(deps, runId, policy, recorded, pauseTimeoutSeconds);
    return { next: 'pause', pauseTimeoutSeconds, ...withTrigger(recorded) };
  }
  if (run.status === 'STOPPED' && (run.stoppedBy === 'breaker' || run.stoppedBy === 'failures') && policy !== 'pause') {
    const trigger = { kind: run.stoppedBy, by: run.control?.by ?? run.stoppedBy, reason: run.stopReason ?? '' } as const;
    return { next: policy, pauseTimeoutSeconds, trigger, cause: causeOf(runId, policy, trigger) };
  }
  if (run.status !== 'RUNNING') throw new RunNotGatableError(runId, run.status, 'go on after its map');

  const map = input.stage ?? { firstBatch: 0, batchCount: input.plan.batchCount };
  const left = await leftBatches(deps, runId, { firstBatch: map.firstBatch, batchCount: map.batchCount, batchesPerWorker: spec.batchesPerWorker });
  const breaker = await readBreakerWithAutoClose(deps);
  // Nothing left and nothing more to write (Finalize writes nothing to the target): a breaker that
  // opened after the last batch settled does not pause, and so cannot time out into an abort.
  const lastMap = !input.stage || input.stage.firstBatch + input.stage.batchCount >= input.plan.batchCount;
  if (breaker.state === 'OPEN' && left.length === 0 && !input.error && lastMap) return { next: 'continue', pauseTimeoutSeconds };
  const reruns = breaker.state === 'OPEN' || input.error || left.length === 0 ? 0 : await countRerun(deps, runId, left);
  const trigger: GateTrigger | undefined =
    breaker.state === 'OPEN'
      ? { kind: 'breaker', by: breaker.openedBy ?? 'breaker', reason: `the breaker opened: ${breaker.reason ?? 'no reason recorded'}` }
      : input.error
        ? { kind: 'failures', by: FAILURES_ACTOR, reason: (await explainRunFailure(deps, runId, { Error: input.error.Error, Cause: input.error.Cause })).Cause }
        : reruns > MAX_RERUNS_WITHOUT_PROGRESS
          ? { kind: 'failures', by: FAILURES_ACTOR, reason: noProgressReason(left) }
          : undefined;
  if (trigger) {
    await requestPause(deps, runId, { by: trigger.by, reason: trigger.reason, trigger: trigger.kind });
    if (policy === 'pause') return { next: 'pause', pauseTimeoutSeconds, trigger };
    return stopByPolicy(deps, runId, policy, trigger, pauseTimeoutSeconds);
  }
  return { next: left.length > 0 ? 'rerun' : 'continue', pauseTimeoutSeconds };
}

const BATCHES_NAMED = 10;

function noProgressReason(left: readonly string[]): string {
  const named = left.slice(0, BATCHES_NAMED).join(', ') + (left.length > BATCHES_NAMED ? ` and ${left.length - BATCHES_NAMED} more` : '');
  return (
    `the map ran ${MAX_RERUNS_WITHOUT_PROGRESS} more times and left the same ${left.length} batch(es) unprocessed each time (${named}): ` +
    'their child fails before claiming a batch; read the worker\'s logs for that child, fix the cause, then resume the run'
  );
}

async function stopByPolicy(deps: LedgerDeps, runId: string, policy: 'stop' | 'rollback', trigger: GateTrigger, pauseTimeoutSeconds: number): Promise<GateDecision> {
  if (trigger.kind === 'operator') throw new RunNotGatableError(runId, 'PAUSING', `apply onFailure "${policy}" to an operator's pause`);
  await markRunStoppedByPolicy(deps, runId, { trigger: trigger.kind, reason: trigger.reason, policy });
  return { next: policy, pauseTimeoutSeconds, trigger, cause: causeOf(runId, policy, trigger) };
}

function triggerOf(run: RunRecord): GateTrigger | undefined {
  return run.control ? { kind: run.control.trigger, by: run.control.by, reason: run.control.reason } : undefined;
}

const withTrigger = (trigger: GateTrigger | undefined): { trigger?: GateTrigger; cause?: string } => (trigger ? { trigger } : {});

function causeOf(runId: string, policy: 'stop' | 'rollback', trigger: GateTrigger): string {
  const what = trigger.kind === 'breaker' ? 'the breaker opened' : 'failures passed the tolerance';
  const then = policy === 'stop' ? 'the run is STOPPED, leaving what was written (backfill rollback to undo it, or resume it once fixed)' : 'the run is rolled back';
  return `Run ${runId} stopped by onFailure "${policy}": ${what} (${trigger.by}: ${trigger.reason}); ${then}`;
}
