import { readBreaker } from '../breaker';
import { markRunStoppedByPolicy, requestPause, requireRun, type RunRecord } from '../ledger';
import { explainRunFailure } from '../run';
import type { PlannedStage } from '../stages/PlannedStage';
import type { Deps } from '../runtime/Deps';
import { DEFAULT_ON_FAILURE, DEFAULT_PAUSE_TIMEOUT_SECONDS, type Spec } from '../spec';
import { RunNotGatableError } from './errors';
import type { GateDecision, GateTrigger } from './GateDecision';
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

  const breaker = await readBreaker(deps);
  const trigger: GateTrigger | undefined =
    breaker.state === 'OPEN'
      ? { kind: 'breaker', by: breaker.openedBy ?? 'breaker', reason: `the breaker opened: ${breaker.reason ?? 'no reason recorded'}` }
      : input.error
        ? { kind: 'failures', by: FAILURES_ACTOR, reason: (await explainRunFailure(deps, runId, { Error: input.error.Error, Cause: input.error.Cause })).Cause }
        : undefined;
  if (trigger) {
    await requestPause(deps, runId, { by: trigger.by, reason: trigger.reason, trigger: trigger.kind });
    if (policy === 'pause') return { next: 'pause', pauseTimeoutSeconds, trigger };
    return stopByPolicy(deps, runId, policy, trigger, pauseTimeoutSeconds);
  }

  const map = input.stage ?? { firstBatch: 0, batchCount: input.plan.batchCount };
  const left = await leftBatches(deps, runId, { firstBatch: map.firstBatch, batchCount: map.batchCount, batchesPerWorker: spec.batchesPerWorker });
  return { next: left.length > 0 ? 'rerun' : 'continue', pauseTimeoutSeconds };
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
