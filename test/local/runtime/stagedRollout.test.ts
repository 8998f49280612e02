import {
  getRun,
  listBatches,
  listStages,
  markStageAwaitingApproval,
  newApprovalId,
  recordDecision,
  requestApproval,
} from '../../../lambdas/lib/ledger';
import { loadDefinition, localNestedExecutions, runExecution, TaskTokens, type ExecutionOutcome, type TaskHandler } from '../../../local/engine';
import { localFunctions } from '../../../local/runtime/localFunctions';
import type { LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { BACKFILL_ASL } from '../../../local/runtime/runBackfillLocally';
import { exampleSpec, reportOf, targetDump, useSeededEnvironments } from './localRun';

jest.setTimeout(400_000);

// The approval request is request-approval's (it needs the SNS and signing-key services): bound
// here to a double that keeps its contract, so the staged path of the ASL is tested on its own.
const ROLLOUT = { canary: { batches: 1 }, waves: [50, 100] };
const APPROVER = 'alice@example.com';

/** What a staged run did, per handler: the stages validated and the batches each worker call was given. */
interface Calls {
  readonly validated: string[];
  readonly workerBatches: string[];
  readonly approvalRequests: Array<Record<string, unknown>>;
}

interface StagedRunOptions {
  readonly signal?: AbortSignal;
  /** Called after a stage's `complete`, and after each worker invocation. */
  readonly afterStagePassed?: (stage: string) => void;
  readonly afterWorker?: () => void;
  /**
   * RequestApproval's double: `answer: true` records the approver's decision in the ledger and
   * releases the run, as the approval endpoint does; `'forged'` releases it with a fabricated output
   * and no decision; without it the run waits.
   */
  readonly approval?: { readonly answer: true | 'forged' };
  readonly taskTokens?: TaskTokens;
}

/**
 * Runs statemachines/backfill.asl.json as runBackfillLocally does (the registry's handlers on the
 * emulators, some wrapped to record their calls), with RequestApproval bound to a double and the
 * engine's task tokens.
 */
async function runStaged(env: LocalEnvironment, input: unknown, runId: string, calls: Calls, options: StagedRunOptions = {}): Promise<ExecutionOutcome> {
  const { substitutions, taskHandlers } = localFunctions('backfill', env.deps);
  const taskTokens = options.taskTokens ?? new TaskTokens();
  const arnOf = (placeholder: string) => substitutions[placeholder]!;
  const wrap = (arn: string, after: (input: any, output: any) => void): TaskHandler => {
    const inner = taskHandlers[arn]!;
    return async (event) => {
      const output = await inner(event);
      after(event, output);
      return output;
    };
  };
  const handlers: Record<string, TaskHandler> = {
    ...taskHandlers,
    [arnOf('StagesFunctionArn')]: wrap(arnOf('StagesFunctionArn'), (event) => {
      if (event.action === 'complete') options.afterStagePassed?.(event.stage.name);
    }),
    [arnOf('WorkerFunctionArn')]: wrap(arnOf('WorkerFunctionArn'), (event) => {
      calls.workerBatches.push(...event.Items.map((item: { batchId: string }) => item.batchId));
      options.afterWorker?.();
    }),
    [arnOf('ValidateStageFunctionArn')]: wrap(arnOf('ValidateStageFunctionArn'), (event) => calls.validated.push(event.stage.name)),
    // RequestApproval's contract: an approval stored (or the resumed one kept), the stage AWAITING_APPROVAL; a decision answers the token.
    [arnOf('RequestApprovalFunctionArn')]: async (event: any) => {
      calls.approvalRequests.push({ ...event, taskToken: undefined });
      const approvalId = event.approvalId ?? newApprovalId();
      if (event.approvalId === undefined) {
        await requestApproval(env.deps, {
          runId: event.runId, stage: event.stage, approvalId, taskToken: event.taskToken, approvers: [APPROVER], quorum: 1,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(), startedBy: 'local:test', preventSelfApproval: true,
        });
      }
      await markStageAwaitingApproval(env.deps, { runId: event.runId, stageName: event.stage, approvalId });
      if (options.approval?.answer === true) {
        await recordDecision(env.deps, { runId: event.runId, approvalId, approver: APPROVER, decision: 'approve', comment: '', sourceIp: '127.0.0.1', userAgent: 'test' });
      }
      if (options.approval?.answer) taskTokens.sendTaskSuccess({ taskToken: event.taskToken, output: JSON.stringify({ approvalId, approvedBy: [APPROVER] }) });
      return { approvalId };
    },
  };
  return runExecution({
    definition: loadDefinition(BACKFILL_ASL, substitutions),
    input,
    executionName: runId,
    stateMachineName: 'Backfill',
    taskHandlers: handlers,
    s3: env.clients.s3,
    signal: options.signal,
    taskTokens,
    // RollbackCanary (a rejection with onRejection rollback-canary) is not reached here; the engine needs a runner for it all the same.
    nestedExecutions: localNestedExecutions([], { s3: env.clients.s3 }),
  });
}

const newCalls = (): Calls => ({ validated: [], workerBatches: [], approvalRequests: [] });
/** The parts of a report that say what the run wrote (not its spec hash or times). */
const written = (outcome: ExecutionOutcome) => {
  const { planHash, batches, records, counts, malformedPercent, targetChecksum, status, mode, transform } = reportOf(outcome);
  return { planHash, batches, records, counts, malformedPercent, targetChecksum, status, mode, transform };
};
const stagesOf = async (env: LocalEnvironment, runId: string) => (await listStages(env.deps, runId)).map((s) => [s.name, s.status]);

describe('a staged rollout through statemachines/backfill.asl.json', () => {
  const seeded = useSeededEnvironments();
  const spec = (overrides: Record<string, unknown> = {}) => exampleSpec({ batchSize: 100, maxConcurrency: 2, ...overrides });

  it('writes the canary, then the waves, each validated and passed, and ends as the same spec without a rollout does', async () => {
    // GIVEN a reference run of the spec without a rollout
    const reference = await seeded(1_000);
    const unstagedCalls = newCalls();
    const unstaged = await runStaged(reference.env, spec(), 'rollout-run', unstagedCalls);
    expect(unstaged.status).toBe('SUCCEEDED');
    // (which takes the unchanged path: no stage, no gate)
    expect(await listStages(reference.env.deps, 'rollout-run')).toEqual([]);
    expect(unstagedCalls.validated).toEqual([]);
    // WHEN the same spec with a canary of 1 batch and waves [50, 100] runs on the same data
    const { env } = await seeded(1_000);
    const calls = newCalls();
    const staged = await runStaged(env, spec({ rollout: ROLLOUT }), 'rollout-run', calls);
    // THEN it succeeds with the same report and target
    expect(staged.status).toBe('SUCCEEDED');
    expect(written(staged)).toEqual(written(unstaged));
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
    // AND each stage was processed over its own slice, validated once and passed, in order
    expect(await stagesOf(env, 'rollout-run')).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
    expect(calls.validated).toEqual(['canary', 'wave-1', 'wave-2']);
    expect(calls.workerBatches.slice(0, 1)).toEqual(['b0000000']);
    expect([...calls.workerBatches].sort()).toEqual((await listBatches(env.deps, 'rollout-run')).map((b) => b.batchId).sort());
    expect(new Set(calls.workerBatches).size).toBe(calls.workerBatches.length);
    expect((await getRun(env.deps, 'rollout-run'))?.stage).toEqual({ name: 'wave-2', status: 'PASSED' });
  });

  it('a failed gate stops the run before the next stage writes, naming the evidence; nothing beyond the canary is written', async () => {
    // GIVEN a change band the demo's canary cannot meet
    const { env } = await seeded(1_000);
    const calls = newCalls();
    const outcome = await runStaged(env, spec({ rollout: ROLLOUT, validation: { expectedChangePercent: { min: 99, max: 100 } } }), 'gated-run', calls);
    // THEN the run fails at the canary's gate, with the evidence named
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('StageGateFailed');
    expect(outcome.cause).toContain('evidence/gated-run/canary.json');
    expect((await getRun(env.deps, 'gated-run'))).toMatchObject({ status: 'FAILED', stage: { name: 'canary', status: 'GATE_FAILED' } });
    expect(await stagesOf(env, 'gated-run')).toEqual([['canary', 'GATE_FAILED']]);
    // AND only the canary's batch was processed
    expect(calls.workerBatches).toEqual(['b0000000']);
    expect((await listBatches(env.deps, 'gated-run')).map((b) => b.batchId)).toEqual(['b0000000']);
  });

  it('in dry-run, goes through every stage and its gate with nothing written to the target', async () => {
    const { env } = await seeded(1_000);
    const before = await targetDump(env);
    const calls = newCalls();
    const outcome = await runStaged(env, spec({ rollout: ROLLOUT, mode: 'dry-run' }), 'dry-staged', calls);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(calls.validated).toEqual(['canary', 'wave-1', 'wave-2']);
    expect(calls.approvalRequests).toEqual([]);
    expect(await stagesOf(env, 'dry-staged')).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
    expect(await targetDump(env)).toBe(before);
  });

  it.each([
    ['after the canary passed', { afterStagePassed: 'canary' }, ['wave-1', 'wave-2']],
    ['during the first wave', { afterWorkerInWave: true }, ['wave-1', 'wave-2']],
  ] as const)('a run killed %s resumes at the stage it reached: a PASSED stage is not processed or validated again', async (_when, kill, validatedOnResume) => {
    const reference = await seeded(1_000);
    const referenceOutcome = await runStaged(reference.env, spec({ rollout: ROLLOUT }), 'staged-resume', newCalls());
    // GIVEN a staged run killed at that point
    const { env } = await seeded(1_000);
    const stop = new AbortController();
    const first = newCalls();
    const killed = await runStaged(env, spec({ rollout: ROLLOUT }), 'staged-resume', first, {
      signal: stop.signal,
      afterStagePassed: (stage) => {
        if ('afterStagePassed' in kill && stage === kill.afterStagePassed) stop.abort();
      },
      afterWorker: () => {
        if ('afterWorkerInWave' in kill && first.validated.includes('canary')) stop.abort();
      },
    });
    expect(killed.status).toBe('ABORTED');
    expect(first.validated).toEqual(['canary']);
    // WHEN it is started again
    const second = newCalls();
    const resumed = await runStaged(env, spec({ rollout: ROLLOUT }), 'staged-resume', second);
    // THEN it goes on from the stage it reached, never touching the canary again
    expect(resumed.status).toBe('SUCCEEDED');
    expect(second.validated).toEqual(validatedOnResume);
    expect(second.workerBatches).not.toContain('b0000000');
    expect(await stagesOf(env, 'staged-resume')).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
    // AND it ends identical to an uninterrupted staged run
    expect(written(resumed)).toEqual(written(referenceOutcome));
    expect(await targetDump(env)).toBe(await targetDump(reference.env));
  });

  it('waits for the canary\'s approval, passes it by who approved, then writes the waves', async () => {
    const { env } = await seeded(1_000);
    const calls = newCalls();
    const outcome = await runStaged(env, spec({ rollout: ROLLOUT, approval: { approvers: [APPROVER] } }), 'approved-run', calls, { approval: { answer: true } });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(calls.approvalRequests).toEqual([{ runId: 'approved-run', stage: 'canary', evidenceKey: 'evidence/approved-run/canary.json', taskToken: undefined }]);
    const [canary, ...waves] = await listStages(env.deps, 'approved-run');
    expect(canary).toMatchObject({ status: 'PASSED', decision: 'APPROVED', decidedBy: [APPROVER] });
    expect(waves.map((s) => [s.name, s.status, s.decision])).toEqual([['wave-1', 'PASSED', undefined], ['wave-2', 'PASSED', undefined]]);
  });

  it('a forged SendTaskSuccess (a valid token, a fabricated output, the approval still OPEN) fails the run via MarkRunFailed; nothing beyond the canary is written', async () => {
    const { env } = await seeded(1_000);
    const calls = newCalls();
    // WHEN the approval task is released with an output naming the approval nobody decided
    const outcome = await runStaged(env, spec({ rollout: ROLLOUT, approval: { approvers: [APPROVER] } }), 'forged-run', calls, { approval: { answer: 'forged' } });
    // THEN the stage does not pass and the run fails, naming the approval's status in the ledger
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('ApprovalNotGrantedError');
    expect(outcome.cause).toContain('the ledger has that approval OPEN, not APPROVED');
    expect(await getRun(env.deps, 'forged-run')).toMatchObject({ status: 'FAILED' });
    expect((await listStages(env.deps, 'forged-run')).map((s) => [s.name, s.status, s.decidedBy])).toEqual([['canary', 'AWAITING_APPROVAL', undefined]]);
    // AND only the canary's batch was processed
    expect(calls.workerBatches).toEqual(['b0000000']);
    expect((await listBatches(env.deps, 'forged-run')).map((b) => b.batchId)).toEqual(['b0000000']);
  });

  it('a run killed while it waits for the approval waits again for the same approval when resumed, and finishes once approved', async () => {
    const { env } = await seeded(1_000);
    const input = spec({ rollout: ROLLOUT, approval: { approvers: [APPROVER] } });
    // GIVEN a run waiting for the canary's approval, then killed
    const stop = new AbortController();
    const first = newCalls();
    const waiting = runStaged(env, input, 'waiting-run', first, { signal: stop.signal });
    const deadline = Date.now() + 60_000;
    while (first.approvalRequests.length === 0 || (await stagesOf(env, 'waiting-run'))[0]?.[1] !== 'AWAITING_APPROVAL') {
      if (Date.now() > deadline) throw new Error('the run never waited for its approval');
      await new Promise((settle) => setTimeout(settle, 50));
    }
    stop.abort();
    expect((await waiting).status).toBe('ABORTED');
    const approvalId = (await listStages(env.deps, 'waiting-run'))[0]!.approvalId;
    expect(approvalId).toEqual(expect.any(String));
    // WHEN it is resumed and the approver approves
    const second = newCalls();
    const resumed = await runStaged(env, input, 'waiting-run', second, { approval: { answer: true } });
    // THEN it asked again for the same approval, without processing or validating the canary again
    expect(resumed.status).toBe('SUCCEEDED');
    expect(second.approvalRequests).toEqual([{ runId: 'waiting-run', stage: 'canary', approvalId, taskToken: undefined }]);
    expect(second.validated).toEqual(['wave-1', 'wave-2']);
    expect(second.workerBatches).not.toContain('b0000000');
    expect((await listStages(env.deps, 'waiting-run'))[0]).toMatchObject({ status: 'PASSED', approvalId, decidedBy: [APPROVER] });
  });
});

