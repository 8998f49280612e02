import { HANDLER_FACTORIES } from '../../../lambdas/handlerFactories';
import { listStages, recordStageValidation, startOrResumeRun } from '../../../lambdas/lib/ledger';
import { InvalidEventError } from '../../../lambdas/lib/runtime/errors';
import { specHash } from '../../../lambdas/lib/spec';
import { planStages, type PlannedStage } from '../../../lambdas/lib/stages';
import { dynamoTargets } from '../../support';
import { useFreshRunFixture, type Fixture } from '../support/fixture';

const context = { awsRequestId: 'request-1' };

describe.each(dynamoTargets())('the stages handler on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  let plan: { planHash: string; stages: PlannedStage[] };
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  });
  beforeEach(async () => {
    f = fixture();
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec) });
    const planHash = 'b'.repeat(64);
    plan = { planHash, stages: planStages({ runId: f.runId, planHash, batchCount: 2 }, { canary: { batches: 1 }, waves: [100] }) };
  });
  const invoke = (event: unknown) => HANDLER_FACTORIES.stages(f.deps)(event, context);

  it('answers next with the stage to process and passes it on complete, from the events the ASL sends', async () => {
    // WHEN NextStage asks with the state's runId, spec and plan
    const next = await invoke({ action: 'next', runId: f.runId, spec: f.spec, plan: { ...plan, manifestBucket: 'artifacts', batchCount: 2 } });
    // THEN it begins the canary
    expect(next).toEqual({ done: false, stage: plan.stages[0], resumeAt: 'process' });
    // AND once validated, CompleteStage passes it, and the next call goes on to the wave
    await recordStageValidation(f.deps, { runId: f.runId, stage: plan.stages[0]!, passed: true, evidenceKey: 'evidence/x/canary.json', failures: [] });
    await expect(invoke({ action: 'complete', runId: f.runId, stage: plan.stages[0] })).resolves.toEqual({ stage: 'canary', status: 'PASSED' });
    await expect(invoke({ action: 'next', runId: f.runId, spec: f.spec, plan })).resolves.toMatchObject({ done: false, stage: { name: 'wave-1' }, resumeAt: 'process' });
    expect((await listStages(f.deps, f.runId)).map((s) => [s.name, s.status])).toEqual([['canary', 'PASSED'], ['wave-1', 'RUNNING']]);
  });

  it.each([
    ['action', { action: 'skip', runId: 'r1' }],
    ['plan.stages.0.manifestKey', () => ({ action: 'next', runId: 'r1', plan: { stages: [{ ...plan.stages[0], manifestKey: '' }] } })],
    ['stage', { action: 'complete', runId: 'r1' }],
    ['approval.approvedBy', () => ({ action: 'complete', runId: 'r1', stage: plan.stages[0], approval: { approvalId: 'x'.repeat(22), approvedBy: [] } })],
  ])('refuses an event with a bad %s, naming it, and changes nothing', async (field, event) => {
    const refusal = await invoke(typeof event === 'function' ? event() : event).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidEventError);
    expect((refusal as Error).message).toContain(field);
    expect(await listStages(f.deps, f.runId)).toEqual([]);
  });
});
