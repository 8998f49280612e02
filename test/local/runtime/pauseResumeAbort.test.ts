import { openBreaker } from '../../../lambdas/lib/breaker';
import { claimBatch, failBatch, getRun, listAudit, listBatches, listStages, releaseTaskToken, requestAbort, requestPause, requestResume, type RunStatus } from '../../../lambdas/lib/ledger';
import { TransientStoreError } from '../../../lambdas/lib/worker/errors';
import { TaskTokens, type ExecutionOutcome, type TaskHandler } from '../../../local/engine';
import type { LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { runBackfillLocally } from '../../../local/runtime/runBackfillLocally';
import { waitFor } from '../../support';
import { exampleSpec, reportOf, targetDump, useSeededEnvironments } from './localRun';

jest.setTimeout(400_000);

const OPERATOR = 'local:ana';

interface GatedRunOptions {
  /** Called after the n-th worker invocation (1-based) returned. */
  readonly afterWorker?: (n: number) => Promise<void> | void;
  /** Replaces a worker invocation (e.g. to fail some batches), else the real worker runs. */
  readonly worker?: (event: { Items: Array<{ batchId: string }> }, real: TaskHandler) => Promise<unknown>;
  readonly taskTokens?: TaskTokens;
}

/** Runs statemachines/backfill.asl.json locally on the real handlers (and the real rollback machine), hooking the worker's invocations. */
function gatedRun(env: LocalEnvironment, spec: Record<string, unknown>, runId: string, options: GatedRunOptions = {}): Promise<ExecutionOutcome> {
  let workerCalls = 0;
  return runBackfillLocally({
    env,
    input: spec,
    runId,
    taskTokens: options.taskTokens ?? new TaskTokens(),
    wrapTaskHandler: (name, handler) => {
      if (name !== 'worker') return handler;
      return async (event) => {
        const output = options.worker ? await options.worker(event as { Items: Array<{ batchId: string }> }, handler) : await handler(event);
        await options.afterWorker?.(++workerCalls);
        return output;
      };
    },
  });
}

/** Waits for the run to reach `status`, failing fast when the execution already ended. */
async function runReaches(env: LocalEnvironment, runId: string, status: RunStatus, execution: Promise<ExecutionOutcome>): Promise<void> {
  let ended: ExecutionOutcome | undefined;
  void execution.then((outcome) => (ended = outcome));
  await waitFor(
    async () => {
      if (ended) throw new Error(`the execution ended ${ended.status} (${ended.error ?? ''}: ${ended.cause ?? ''}) before the run was ${status}`);
      return (await getRun(env.deps, runId))?.status === status;
    },
    { describe: `run ${runId} to be ${status}`, timeoutMs: 120_000 },
  );
}

/** The operator's answer to a PAUSED run, as the control endpoint sends it: the ledger first, then SendTaskSuccess with the stored token. */
async function resume(env: LocalEnvironment, tokens: TaskTokens, runId: string): Promise<void> {
  const { taskToken } = await requestResume(env.deps, runId, { by: OPERATOR, reason: 'latency back to normal' });
  tokens.sendTaskSuccess({ taskToken: taskToken!, output: JSON.stringify({ decision: 'resume', by: OPERATOR, reason: 'latency back to normal' }) });
  await releaseTaskToken(env.deps, runId, taskToken!);
}

/** The parts of a report that say what the run wrote (not its spec hash or times). */
const written = (outcome: ExecutionOutcome) => {
  const { planHash, batches, records, counts, malformedPercent, targetChecksum, status, mode, transform } = reportOf(outcome);
  return { planHash, batches, records, counts, malformedPercent, targetChecksum, status, mode, transform };
};

const plannedBatches = async (env: LocalEnvironment, runId: string): Promise<number> => (await getRun(env.deps, runId))!.batchCount!;
const batchStatuses = async (env: LocalEnvironment, runId: string) => (await listBatches(env.deps, runId)).map((b) => b.status);

describe('pause, resume and abort through statemachines/backfill.asl.json', () => {
  const seeded = useSeededEnvironments();
  // 1,000 records in about 10 batches, 2 children at a time: a pause after the 3rd leaves most of the plan.
  const spec = (overrides: Record<string, unknown> = {}) => exampleSpec({ batchSize: 100, maxConcurrency: 2, ...overrides });

  it('an operator\'s pause drains the map and waits; the resume runs it again and ends identical to an uninterrupted run', async () => {
    const reference = await seeded(1_000);
    const uninterrupted = await gatedRun(reference.env, spec(), 'pause-run');
    expect(uninterrupted.status).toBe('SUCCEEDED');

    // GIVEN a run paused by an operator after its 3rd batch
    const { env } = await seeded(1_000);
    const tokens = new TaskTokens();
    const execution = gatedRun(env, spec(), 'pause-run', {
      taskTokens: tokens,
      afterWorker: async (n) => {
        if (n === 3) await requestPause(env.deps, 'pause-run', { by: OPERATOR, reason: 'live latency', trigger: 'operator' });
      },
    });
    // WHEN its map drained, THEN it is PAUSED: no batch in flight, batches left unclaimed, the token stored
    await runReaches(env, 'pause-run', 'PAUSED', execution);
    const paused = await getRun(env.deps, 'pause-run');
    expect(paused?.control).toMatchObject({ action: 'pause', trigger: 'operator', by: OPERATOR, reason: 'live latency' });
    expect(paused?.control?.taskToken).toEqual(expect.any(String));
    const statuses = await batchStatuses(env, 'pause-run');
    expect(statuses.every((s) => s === 'DONE')).toBe(true);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(statuses.length).toBeLessThan(await plannedBatches(env, 'pause-run'));

    // WHEN the operator resumes it
    await resume(env, tokens, 'pause-run');
    const outcome = await execution;

    // THEN it ends as the uninterrupted run did: same report, same target
    expect(outcome.status).toBe('SUCCEEDED');
    expect(written(outcome)).toEqual(written(uninterrupted));
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
    expect((await getRun(env.deps, 'pause-run'))?.control).toBeUndefined();
    const types = (await listAudit(env.deps, 'pause-run')).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['RunPauseRequested', 'RunPaused', 'RunResumed', 'RunSucceeded']));
  });

  it('a pause resumed before the map drained: the batches the gate left are run by the same map again (rerun)', async () => {
    const reference = await seeded(1_000);
    const uninterrupted = await gatedRun(reference.env, spec({ maxConcurrency: 1 }), 'rerun-run');
    // GIVEN one child at a time, paused after the 3rd batch and resumed after the 4th (which the gate left)
    const { env } = await seeded(1_000);
    let workerCalls = 0;
    const outcome = await gatedRun(env, spec({ maxConcurrency: 1 }), 'rerun-run', {
      afterWorker: async (n) => {
        workerCalls = n;
        if (n === 3) await requestPause(env.deps, 'rerun-run', { by: OPERATOR, reason: 'a look at the dashboard', trigger: 'operator' });
        if (n === 4) await requestResume(env.deps, 'rerun-run', { by: OPERATOR });
      },
    });
    // THEN the map ran twice (a child per batch, then again with the finished ones skipped) and the run ends as an uninterrupted one
    expect(outcome.status).toBe('SUCCEEDED');
    expect(workerCalls).toBe(2 * (await plannedBatches(env, 'rerun-run')));
    expect(written(outcome)).toEqual(written(uninterrupted));
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
  });

  it('an operator\'s abort of a running run drains it and ends it ABORTED, leaving what was written', async () => {
    const { env } = await seeded(1_000);
    const before = await targetDump(env);
    const outcome = await gatedRun(env, spec(), 'abort-run', {
      afterWorker: async (n) => {
        if (n === 2) await requestAbort(env.deps, 'abort-run', { by: OPERATOR, reason: 'wrong spec', rollback: false });
      },
    });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunAborted' });
    expect(outcome.cause).toContain(`aborted by ${OPERATOR}: wrong spec`);
    expect(await getRun(env.deps, 'abort-run')).toMatchObject({ status: 'ABORTED', control: { action: 'abort', by: OPERATOR, reason: 'wrong spec' } });
    const statuses = await batchStatuses(env, 'abort-run');
    expect(statuses.length).toBeLessThan(await plannedBatches(env, 'abort-run'));
    expect(await targetDump(env)).not.toBe(before);
  });

  it('an abort with rollback of a paused run rolls back what it wrote: the target is byte-identical to before the run', async () => {
    const { env } = await seeded(1_000);
    const before = await targetDump(env);
    const tokens = new TaskTokens();
    const execution = gatedRun(env, spec(), 'abort-paused', {
      taskTokens: tokens,
      afterWorker: async (n) => {
        if (n === 3) await requestPause(env.deps, 'abort-paused', { by: OPERATOR, reason: 'checking totals', trigger: 'operator' });
      },
    });
    await runReaches(env, 'abort-paused', 'PAUSED', execution);
    expect(await targetDump(env)).not.toBe(before);
    // WHEN the operator aborts it with rollback, as the control endpoint does
    const { taskToken } = await requestAbort(env.deps, 'abort-paused', { by: OPERATOR, reason: 'totals are off', rollback: true });
    tokens.sendTaskSuccess({ taskToken: taskToken!, output: JSON.stringify({ decision: 'rollback', by: OPERATOR, reason: 'totals are off' }) });
    const outcome = await execution;
    // THEN the run is aborted and rolled back
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunAborted' });
    expect(await targetDump(env)).toBe(before);
    expect(await getRun(env.deps, 'abort-paused')).toMatchObject({ status: 'ROLLED_BACK', rolledBackFrom: 'ABORTED', rollbackRequestedBy: OPERATOR });
  });

  it('a batch whose retry the gate stopped (its first attempt FAILED transiently) is run again after the resume, not counted failed', async () => {
    const { env } = await seeded(1_000);
    const runId = 'retried-into-gate';
    let failedOnce = false;
    const outcome = await gatedRun(env, spec({ maxConcurrency: 1 }), runId, {
      worker: async (event, real) => {
        const batchId = event.Items[0]!.batchId;
        if (batchId !== 'b0000002' || failedOnce) return real(event);
        failedOnce = true;
        // GIVEN the child's first attempt fails transiently (recorded FAILED) as an operator pauses the run
        const claim = await claimBatch(env.deps, { runId, batchId, owner: 'attempt-1', leaseSeconds: 60 });
        if (claim.kind !== 'claimed') throw new Error('test setup: b0000002 was not claimable');
        const error = new TransientStoreError(runId, batchId, Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
        await failBatch(env.deps, claim.lease, error);
        await requestPause(env.deps, runId, { by: OPERATOR, reason: 'live latency', trigger: 'operator' });
        throw error;
      },
      // AND the operator resumes as soon as the map's retry of that child found the gate shut
      afterWorker: async () => {
        if (failedOnce && (await getRun(env.deps, runId))?.status === 'PAUSING') await requestResume(env.deps, runId, { by: OPERATOR });
      },
    });
    // THEN the map runs again for it and the run ends with every batch done
    expect(outcome.status).toBe('SUCCEEDED');
    expect(reportOf(outcome).batches).toMatchObject({ failed: 0, done: await plannedBatches(env, runId) });
    expect((await batchStatuses(env, runId)).every((status) => status === 'DONE')).toBe(true);
  });

  it.each(['plan', 'finalize'])('a pause landing just before %s (outside the map) pauses the run instead of failing it; the resume finishes it', async (step) => {
    // GIVEN an operator's pause that lands as the workflow reaches Plan, or Finalize after the map settled
    const { env } = await seeded(1_000);
    const runId = `pause-before-${step}`;
    const tokens = new TaskTokens();
    let paused = false;
    const execution = runBackfillLocally({
      env,
      input: spec(),
      runId,
      taskTokens: tokens,
      wrapTaskHandler: (name, handler) =>
        name !== step
          ? handler
          : async (event) => {
              if (!paused) await requestPause(env.deps, runId, { by: OPERATOR, reason: 'deploy window', trigger: 'operator' });
              paused = true;
              return handler(event);
            },
    });
    // THEN the run waits PAUSED for the operator (not FAILED)
    await runReaches(env, runId, 'PAUSED', execution);
    // AND once resumed it ends SUCCEEDED with every planned batch done
    await resume(env, tokens, runId);
    const outcome = await execution;
    expect(outcome.status).toBe('SUCCEEDED');
    expect(reportOf(outcome).batches).toMatchObject({ failed: 0, done: await plannedBatches(env, runId) });
  });

  it('an abort landing just before Finalize ends the run ABORTED, not FAILED', async () => {
    const { env } = await seeded(1_000);
    let aborted = false;
    const outcome = await runBackfillLocally({
      env,
      input: spec(),
      runId: 'abort-before-finalize',
      taskTokens: new TaskTokens(),
      wrapTaskHandler: (name, handler) =>
        name !== 'finalize'
          ? handler
          : async (event) => {
              if (!aborted) await requestAbort(env.deps, 'abort-before-finalize', { by: OPERATOR, reason: 'wrong spec', rollback: false });
              aborted = true;
              return handler(event);
            },
    });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunAborted' });
    expect((await getRun(env.deps, 'abort-before-finalize'))?.status).toBe('ABORTED');
  });

  it('a pause nobody answers within pauseTimeoutSeconds aborts the run (by pause-timeout)', async () => {
    const { env } = await seeded(1_000);
    // The engine times waits with injected timers: this one fires as soon as the wait is armed.
    const tokens = new TaskTokens({ timers: { setTimer: (_ms, fire) => { const t = setTimeout(fire, 200); return () => clearTimeout(t); } } });
    const outcome = await gatedRun(env, spec({ pauseTimeoutSeconds: 60 }), 'pause-timeout', {
      taskTokens: tokens,
      afterWorker: async (n) => {
        if (n === 2) await requestPause(env.deps, 'pause-timeout', { by: OPERATOR, reason: 'lunch', trigger: 'operator' });
      },
    });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunAborted' });
    expect(outcome.cause).toContain('pauseTimeoutSeconds 60');
    expect(await getRun(env.deps, 'pause-timeout')).toMatchObject({ status: 'ABORTED', control: { action: 'abort', by: 'pause-timeout' } });
  });
});

describe('the on-failure policies through statemachines/backfill.asl.json', () => {
  const seeded = useSeededEnvironments();
  const spec = (overrides: Record<string, unknown> = {}) => exampleSpec({ batchSize: 100, maxConcurrency: 2, ...overrides });
  const openAfter = (env: LocalEnvironment, at: number) => async (n: number) => {
    if (n === at) await openBreaker(env.deps, { by: 'alarm:backfill-health', reason: 'worker errors above 5 in 3 of 3 periods' });
  };

  it('onFailure "rollback": the breaker opened mid-run rolls the run back; the target is byte-identical to before, the trigger in the output and on the run', async () => {
    const { env } = await seeded(1_000);
    const before = await targetDump(env);
    const outcome = await gatedRun(env, spec({ onFailure: 'rollback' }), 'policy-rollback', { afterWorker: openAfter(env, 3) });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.output).toMatchObject({
      runId: 'policy-rollback',
      status: 'ROLLED_BACK',
      onFailure: 'rollback',
      trigger: { kind: 'breaker', by: 'alarm:backfill-health', reason: expect.stringContaining('worker errors above 5') },
      rollback: { status: 'ROLLED_BACK', rolledBackFrom: 'STOPPED' },
    });
    expect(await targetDump(env)).toBe(before);
    expect(await getRun(env.deps, 'policy-rollback')).toMatchObject({ status: 'ROLLED_BACK', stoppedBy: 'breaker', stopReason: expect.stringContaining('worker errors'), rollbackRequestedBy: 'backfill (spec.onFailure: rollback)' });
  });

  it('onFailure "stop": the breaker opened mid-run ends the run STOPPED with its trigger, what was written left', async () => {
    const { env } = await seeded(1_000);
    const before = await targetDump(env);
    const outcome = await gatedRun(env, spec({ onFailure: 'stop' }), 'policy-stop', { afterWorker: openAfter(env, 3) });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunStoppedByPolicy' });
    expect(outcome.cause).toContain('the breaker opened');
    expect(await getRun(env.deps, 'policy-stop')).toMatchObject({ status: 'STOPPED', stoppedBy: 'breaker' });
    expect((await batchStatuses(env, 'policy-stop')).length).toBeLessThan(await plannedBatches(env, 'policy-stop'));
    expect(await targetDump(env)).not.toBe(before);
  });

  it('onFailure "pause" (the default): the breaker opened mid-run leaves the run PAUSED with the breaker as its trigger', async () => {
    const { env } = await seeded(1_000);
    const tokens = new TaskTokens();
    const execution = gatedRun(env, spec(), 'policy-pause', { taskTokens: tokens, afterWorker: openAfter(env, 3) });
    await runReaches(env, 'policy-pause', 'PAUSED', execution);
    expect((await getRun(env.deps, 'policy-pause'))?.control).toMatchObject({ action: 'pause', trigger: 'breaker', by: 'alarm:backfill-health' });
    // the breaker still open, the run cannot resume
    await expect(requestResume(env.deps, 'policy-pause', { by: OPERATOR })).rejects.toThrow('close it first');
    const { taskToken } = await requestAbort(env.deps, 'policy-pause', { by: OPERATOR, reason: 'live service degraded', rollback: false });
    tokens.sendTaskSuccess({ taskToken: taskToken!, output: JSON.stringify({ decision: 'abort', by: OPERATOR, reason: 'live service degraded' }) });
    expect(await execution).toMatchObject({ status: 'FAILED', error: 'RunAborted' });
    expect((await getRun(env.deps, 'policy-pause'))?.status).toBe('ABORTED');
  });

  it('failures past the tolerance apply the policy: onFailure "stop" ends the run STOPPED by failures', async () => {
    const { env } = await seeded(1_000);
    const outcome = await gatedRun(env, spec({ onFailure: 'stop', toleratedFailurePercent: 0 }), 'failures-stop', {
      worker: async (event, real) => {
        if (event.Items.some((item) => item.batchId === 'b0000004')) {
          const error = new Error('target rejected the batch');
          error.name = 'InjectedBatchError';
          throw error;
        }
        return real(event);
      },
    });
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'RunStoppedByPolicy' });
    expect(outcome.cause).toContain('failures passed the tolerance');
    expect(await getRun(env.deps, 'failures-stop')).toMatchObject({ status: 'STOPPED', stoppedBy: 'failures', stopReason: expect.stringContaining('tolerated failure threshold') });
  });
});

describe('a pause inside a stage of a staged rollout', () => {
  const seeded = useSeededEnvironments();
  const staged = () => exampleSpec({ batchSize: 100, maxConcurrency: 2, rollout: { canary: { batches: 1 }, waves: [50, 100] } });

  it('re-enters that stage on resume and ends identical to an uninterrupted staged run', async () => {
    const reference = await seeded(1_000);
    const uninterrupted = await gatedRun(reference.env, staged(), 'staged-pause');
    expect(uninterrupted.status).toBe('SUCCEEDED');
    // GIVEN a staged run paused inside wave-1 (the canary is the 1st worker call)
    const { env } = await seeded(1_000);
    const tokens = new TaskTokens();
    const execution = gatedRun(env, staged(), 'staged-pause', {
      taskTokens: tokens,
      afterWorker: async (n) => {
        if (n === 3) await requestPause(env.deps, 'staged-pause', { by: OPERATOR, reason: 'wave looks slow', trigger: 'operator' });
      },
    });
    await runReaches(env, 'staged-pause', 'PAUSED', execution);
    expect((await listStages(env.deps, 'staged-pause')).map((s) => [s.name, s.status])).toEqual([['canary', 'PASSED'], ['wave-1', 'RUNNING']]);
    // WHEN resumed
    await resume(env, tokens, 'staged-pause');
    const outcome = await execution;
    // THEN wave-1 goes on, the rest follows, and the end is the uninterrupted run's
    expect(outcome.status).toBe('SUCCEEDED');
    expect(written(outcome)).toEqual(written(uninterrupted));
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
    expect((await listStages(env.deps, 'staged-pause')).map((s) => [s.name, s.status])).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
  });
});
