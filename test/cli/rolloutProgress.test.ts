import { formatRollout, formatStatus, progressLine } from '../../cli/runs/formatProgress';
import { readRolloutProgress } from '../../cli/runs/rolloutProgress';
import type { RunProgress } from '../../cli/runs/runProgress';
import {
  beginStage,
  getRun,
  markStageAwaitingApproval,
  markStagePassed,
  pinPlan,
  recordStageDecision,
  recordStageValidation,
  startOrResumeRun,
} from '../../lambdas/lib/ledger';
import { parseSpec, specHash } from '../../lambdas/lib/spec';
import { planStages } from '../../lambdas/lib/stages';
import { exampleSpecInput } from '../lambdas/fixtures/specs';
import { createTestStore, dynamoTargets, uniqueName, useEmulators, type TestStore } from '../support';

const HASH = 'd'.repeat(64);
const APPROVAL_ID = 'Q'.repeat(22);

describe.each(dynamoTargets())('a staged run\'s rollout in status and watch, on %s', (target) => {
  const env = useEmulators(target);
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(env());
  });

  /** A run of 10 batches with a canary of 1 and waves [50, 100] (or no rollout), planned. */
  async function plannedRun(rollout: boolean) {
    const runId = uniqueName('staged');
    const spec = parseSpec({ ...exampleSpecInput(), ...(rollout ? { rollout: { canary: { batches: 1 }, waves: [50, 100] }, approval: { approvers: ['alice@example.com', 'bob@example.com'] } } : {}) });
    await startOrResumeRun(store.deps, { runId, spec, specHash: specHash(spec) });
    await pinPlan(store.deps, runId, { planHash: HASH, manifestKey: `manifests/${runId}/${HASH}.jsonl`, batchCount: 10, recordCount: 1000 });
    const stages = rollout ? planStages({ runId, planHash: HASH, batchCount: 10 }, spec.rollout!) : [];
    return { runId, stages };
  }
  const rolloutOf = async (runId: string) => readRolloutProgress(store.deps, (await getRun(store.deps, runId))!);

  it('lists every planned stage, PENDING until begun, with the current stage from the run record', async () => {
    const { runId, stages } = await plannedRun(true);
    expect(await rolloutOf(runId)).toEqual({
      stages: [
        { name: 'canary', kind: 'canary', status: 'PENDING', batchCount: 1, cumulativePercent: 10 },
        { name: 'wave-1', kind: 'wave', status: 'PENDING', batchCount: 4, cumulativePercent: 50 },
        { name: 'wave-2', kind: 'wave', status: 'PENDING', batchCount: 5, cumulativePercent: 100 },
      ],
    });
    await beginStage(store.deps, { runId, stage: stages[0]! });
    await recordStageValidation(store.deps, { runId, stage: stages[0]!, passed: true, evidenceKey: `evidence/${runId}/canary.json`, failures: [] });
    await markStageAwaitingApproval(store.deps, { runId, stageName: 'canary', approvalId: APPROVAL_ID });
    expect(await rolloutOf(runId)).toMatchObject({
      current: { name: 'canary', status: 'AWAITING_APPROVAL' },
      stages: [{ name: 'canary', status: 'AWAITING_APPROVAL', approvalId: APPROVAL_ID, evidenceKey: `evidence/${runId}/canary.json` }, { status: 'PENDING' }, { status: 'PENDING' }],
    });
  });

  it('shows the decision and who made it', async () => {
    const { runId, stages } = await plannedRun(true);
    await beginStage(store.deps, { runId, stage: stages[0]! });
    await recordStageValidation(store.deps, { runId, stage: stages[0]!, passed: true, evidenceKey: 'e', failures: [] });
    await markStageAwaitingApproval(store.deps, { runId, stageName: 'canary', approvalId: APPROVAL_ID });
    await recordStageDecision(store.deps, { runId, stageName: 'canary', outcome: 'APPROVED', by: ['alice@example.com', 'bob@example.com'] });
    await beginStage(store.deps, { runId, stage: stages[1]! });
    const rollout = await rolloutOf(runId);
    expect(rollout?.current).toEqual({ name: 'wave-1', status: 'RUNNING' });
    expect(rollout?.stages[0]).toMatchObject({ status: 'PASSED', decision: 'APPROVED', decidedBy: ['alice@example.com', 'bob@example.com'] });
    expect(formatRollout(rollout!)).toEqual([
      '  rollout stage    wave-1 RUNNING',
      '  stages           canary  1 batch to 10%: PASSED, approved by alice@example.com, bob@example.com',
      '                   wave-1  4 batches to 50%: RUNNING',
      '                   wave-2  5 batches to 100%: PENDING',
    ]);
  });

  it('is absent for a run without a rollout', async () => {
    const { runId } = await plannedRun(false);
    expect(await rolloutOf(runId)).toBeUndefined();
  });

  it('formats each stage for status, and the current one for watch\'s progress line', async () => {
    const { runId, stages } = await plannedRun(true);
    await beginStage(store.deps, { runId, stage: stages[0]! });
    await recordStageValidation(store.deps, { runId, stage: stages[0]!, passed: true, evidenceKey: 'e', failures: [] });
    await markStagePassed(store.deps, { runId, stageName: 'canary' });
    await beginStage(store.deps, { runId, stage: stages[1]! });
    await recordStageValidation(store.deps, { runId, stage: stages[1]!, passed: false, evidenceKey: `evidence/${runId}/wave-1.json`, failures: ['3 rule violations', 'change ratio 40% above 10%'] });
    const progress: RunProgress = {
      runId, status: 'RUNNING', stage: 'ValidateStage', rollout: await rolloutOf(runId),
      batches: { done: 5, failed: 0, inProgress: 0, total: 10 }, records: { read: 500, written: 400, unchanged: 100, skipped: 0, malformed: 0, total: 1000 },
      failures: [], codeVersion: 'test', transform: 'order-summary@2', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', starts: 1,
    };
    const lines = formatStatus(progress).split('\n');
    const at = lines.indexOf('  rollout stage    wave-1 GATE_FAILED');
    expect(lines.slice(at, at + 4)).toEqual([
      '  rollout stage    wave-1 GATE_FAILED',
      '  stages           canary  1 batch to 10%: PASSED',
      `                   wave-1  4 batches to 50%: GATE_FAILED: 3 rule violations; change ratio 40% above 10% (evidence evidence/${runId}/wave-1.json)`,
      '                   wave-2  5 batches to 100%: PENDING',
    ]);
    expect(progressLine(progress)).toBe(`${runId} RUNNING ValidateStage (wave-1 GATE_FAILED): 5/10 batches, 500/1,000 records`);
    // AND --json carries the same (status prints JSON.stringify of the progress)
    expect(JSON.parse(JSON.stringify(progress)).rollout.stages[1]).toMatchObject({ name: 'wave-1', status: 'GATE_FAILED', failures: ['3 rule violations', 'change ratio 40% above 10%'] });
  });
});
