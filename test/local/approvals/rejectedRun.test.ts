import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand, type DescribeExecutionOutput } from '@aws-sdk/client-sfn';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { getRun, listBatches, listStages } from '../../../lambdas/lib/ledger';
import { findStageApproval } from '../../../lambdas/lib/rejection';
import { decideThroughLink } from '../../../local/approvals/decideThroughLink';
import { TaskTokens, type TaskTimers } from '../../../local/engine';
import { dumpTable } from '../../../local/runtime/dumpTable';
import { waitFor } from '../../support';
import { approvalMessage, STAGED_SPEC, stagedSpec, startStagedCloud, startStagedRun, type StagedCloud } from './stagedRun';

const RECORDS = 1_000;
const APPROVER = 'demo-approver@example.com';

/** Timers the test fires by hand: an approval's timeout passes when the test says so. */
function manualTimers(): TaskTimers & { fireAll(): number } {
  const pending = new Set<() => void>();
  return {
    setTimer(_ms, onFire) {
      pending.add(onFire);
      return () => pending.delete(onFire);
    },
    fireAll() {
      const due = [...pending];
      pending.clear();
      for (const fire of due) fire();
      return due.length;
    },
  };
}

/** The execution once it has closed (fails fast only by timing out: every outcome is checked by the caller). */
async function closed(staged: StagedCloud, executionArn: string): Promise<DescribeExecutionOutput> {
  return waitFor(
    async () => {
      const described = await staged.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return described.status !== 'RUNNING' && described;
    },
    { describe: `${executionArn} to close`, timeoutMs: 120_000, intervalMs: 100 },
  );
}

const targetDump = (staged: StagedCloud) => dumpTable(staged.cloud.env.clients.ddb, LOCAL_NAMES.demoTargetTable);

/** The items of a dump (JSONL) by orderId. */
const itemsOf = (dump: string): Map<string, Record<string, unknown>> =>
  new Map(dump.split('\n').filter(Boolean).map((line) => { const item = JSON.parse(line) as Record<string, unknown>; return [String(item.orderId), item]; }));

/** The approval of a staged run is rejected through its link, or times out: the run ends REJECTED (issue 11). */
describe('a staged run whose canary approval is rejected', () => {
  it('keep-canary: ends REJECTED, who and why on the run, and the target holds only the canary\'s writes', async () => {
    const staged = await startStagedCloud({ records: RECORDS });
    try {
      // GIVEN a staged run (4 batches of 250, a canary of 1) waiting for its canary's approval
      const runId = 'rejected-keep';
      const before = await targetDump(staged);
      const executionArn = await startStagedRun(staged, stagedSpec(), runId);
      const message = await approvalMessage(staged, executionArn);
      // WHEN the approver rejects it through the link, as in a browser
      await decideThroughLink(message.link, { decision: 'reject', comment: 'totals are off', userAgent: 'rejectedRun.test' });
      // THEN the execution fails with ApprovalRejected, saying who and why
      const described = await closed(staged, executionArn);
      expect(described).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
      expect(described.cause).toContain(`Run ${runId} was rejected at stage canary by ${APPROVER}: "totals are off"`);
      // AND the run and its canary are REJECTED; no wave began
      const deps = staged.cloud.env.deps;
      expect(await getRun(deps, runId)).toMatchObject({ status: 'REJECTED', rejection: { stage: 'canary', outcome: 'rejected', by: APPROVER, comment: 'totals are off' } });
      expect((await listStages(deps, runId)).map((s) => [s.name, s.status])).toEqual([['canary', 'REJECTED']]);
      // AND only the canary's batch was claimed, and every item that changed was written by it
      expect((await listBatches(deps, runId)).map((b) => [b.batchId, b.status])).toEqual([['b0000000', 'DONE']]);
      const after = itemsOf(await targetDump(staged));
      const beforeItems = itemsOf(before);
      const changed = [...after.values()].filter((item) => JSON.stringify(item) !== JSON.stringify(beforeItems.get(String(item.orderId))));
      expect(changed.length).toBeGreaterThan(0);
      expect(new Set(changed.map((item) => `${String(item.backfillRunId)}/${String(item.backfillBatchId)}`))).toEqual(new Set([`${runId}/b0000000`]));
      // AND no rollback was started
      const rollbacks = await staged.sfn.send(new ListExecutionsCommand({ stateMachineArn: staged.cloud.endpoints.resources.rollbackStateMachineArn }));
      expect(rollbacks.executions).toEqual([]);
      // AND a resume (a new execution with its runId and spec) is refused at StartRun, saying why, and changes nothing
      const runBefore = await getRun(deps, runId);
      const resumed = await staged.sfn.send(new StartExecutionCommand({
        stateMachineArn: staged.cloud.endpoints.resources.backfillStateMachineArn, name: `${runId}-r2`, input: JSON.stringify({ ...stagedSpec(), runId, startedBy: 'local:starter' }),
      }));
      const refused = await closed(staged, resumed.executionArn!);
      expect(refused).toMatchObject({ status: 'FAILED', error: 'RunNotResumableError' });
      expect(refused.cause).toContain(`Run ${runId} is REJECTED; cannot start or resume it. A rejected run stays rejected`);
      expect(await getRun(deps, runId)).toEqual(runBefore);
    } finally {
      await staged.close();
    }
  }, 180_000);

  it('rollback-canary: the canary is rolled back by the rollback state machine, the target is as before the run, and the run ends REJECTED_ROLLED_BACK', async () => {
    const staged = await startStagedCloud({ records: RECORDS });
    try {
      // GIVEN a staged run that rolls its canary back on rejection
      const runId = 'rejected-rollback';
      const before = await targetDump(staged);
      const spec = stagedSpec({ approval: { ...(STAGED_SPEC.approval as Record<string, unknown>), onRejection: 'rollback-canary' } });
      const executionArn = await startStagedRun(staged, spec, runId);
      const message = await approvalMessage(staged, executionArn);
      // WHEN the approver rejects it
      await decideThroughLink(message.link, { decision: 'reject', comment: 'wrong rounding', userAgent: 'rejectedRun.test' });
      // THEN the execution fails with ApprovalRejected once the rollback it started has finished
      const described = await closed(staged, executionArn);
      expect(described).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
      // AND the target is exactly as before the run
      expect(await targetDump(staged)).toBe(before);
      // AND the run is REJECTED_ROLLED_BACK, with its rejection and the rollback's report
      const run = await getRun(staged.cloud.env.deps, runId);
      expect(run).toMatchObject({ status: 'REJECTED_ROLLED_BACK', rejection: { by: APPROVER, comment: 'wrong rounding' }, rollback: { status: 'REJECTED_ROLLED_BACK', rolledBackFrom: 'REJECTED', batches: 1 } });
      // AND the rollback ran as an execution of the rollback state machine, started by the backfill
      const rollbacks = await staged.sfn.send(new ListExecutionsCommand({ stateMachineArn: staged.cloud.endpoints.resources.rollbackStateMachineArn }));
      expect(rollbacks.executions?.map((e) => e.status)).toEqual(['SUCCEEDED']);
      const rollback = await staged.sfn.send(new DescribeExecutionCommand({ executionArn: rollbacks.executions![0]!.executionArn }));
      expect(JSON.parse(rollback.input!)).toMatchObject({ runId, requestedBy: 'backfill (spec.approval.onRejection: rollback-canary)', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: executionArn });
    } finally {
      await staged.close();
    }
  }, 180_000);

  it('timeout: nobody decides within timeoutSeconds, the approval is EXPIRED and the run ends REJECTED', async () => {
    const timers = manualTimers();
    const staged = await startStagedCloud({ records: RECORDS, taskTokens: new TaskTokens({ timers }) });
    try {
      // GIVEN a staged run waiting for its canary's approval
      const runId = 'rejected-timeout';
      const executionArn = await startStagedRun(staged, stagedSpec(), runId);
      await approvalMessage(staged, executionArn);
      // WHEN its timeoutSeconds pass without a decision
      expect(timers.fireAll()).toBe(1);
      // THEN the execution fails with ApprovalRejected, saying nobody decided in time
      const described = await closed(staged, executionArn);
      expect(described).toMatchObject({ status: 'FAILED', error: 'ApprovalRejected' });
      expect(described.cause).toContain('nobody decided within spec.approval.timeoutSeconds (timeout means rejection)');
      // AND the approval is EXPIRED, the stage and the run REJECTED as timed out
      const deps = staged.cloud.env.deps;
      expect(await findStageApproval(deps, runId, 'canary')).toMatchObject({ status: 'EXPIRED' });
      expect(await getRun(deps, runId)).toMatchObject({ status: 'REJECTED', rejection: { stage: 'canary', outcome: 'timed-out' } });
      expect((await listStages(deps, runId)).map((s) => [s.name, s.status])).toEqual([['canary', 'REJECTED']]);
    } finally {
      await staged.close();
    }
  }, 180_000);
});
