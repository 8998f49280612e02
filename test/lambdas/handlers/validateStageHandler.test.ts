import { HANDLER_FACTORIES } from '../../../lambdas/handlerFactories';
import { useEmulators } from '../../support';
import { createStagedRun, orderEvent } from '../support/stagedRun';

describe('the validate-stage handler', () => {
  const env = useEmulators('dynalite');

  it('takes the ValidateStage Task input ({ runId, spec, plan, stage }) and returns $.validation', async () => {
    // GIVEN a processed canary, and the state as the ASL passes it (the plan with its stages)
    const run = await createStagedRun(env(), { orders: Array.from({ length: 6 }, (_, i) => orderEvent(i + 1)) });
    const canary = run.stage(0, 1);
    await run.process(canary);
    const handler = HANDLER_FACTORIES['validate-stage'](run.deps);
    // WHEN the handler is invoked
    const output = await handler({ runId: run.runId, spec: run.spec, plan: run.plan, stage: canary }, { awsRequestId: 'r-1' });
    // THEN it returns the gate's result
    expect(output).toEqual({ stage: 'canary', passed: true, evidenceKey: `evidence/${run.runId}/canary.json`, evidenceHtmlKey: `evidence/${run.runId}/canary.html`, approvalNeeded: false });
  });

  it('refuses an event without a planned stage, naming the field', async () => {
    const run = await createStagedRun(env(), { orders: [orderEvent(1)] });
    const handler = HANDLER_FACTORIES['validate-stage'](run.deps);
    await expect(handler({ runId: run.runId, spec: run.spec, plan: run.plan, stage: { name: 'canary' } }, { awsRequestId: 'r-1' })).rejects.toThrow(/stage\.kind/);
  });
});
