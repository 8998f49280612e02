import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { localIdentity } from '../../cli/identity';
import { getRun, listAudit, listApprovals, recordDecision } from '../../lambdas/lib/ledger';
import { ENDPOINTS_FILE } from '../../local/cloud/endpoints';
import { waitFor } from '../support';
import { approvalMessage, startStagedCloud, startStagedRun, stagedSpec, type StagedCloud } from '../local/approvals/stagedRun';
import { runBackfill } from './support/cliHarness';

const ME = localIdentity();
const SOMEONE_ELSE = 'local:someone-else';

// GIVEN what `backfill local up` serves, in this process: a staged run waits for its canary's
// approval, and the CLI acts as `local:<os user>` (what it records as startedBy).
describe('backfill approve|reject RUN on a local cloud', () => {
  let staged: StagedCloud;
  let dir: string;
  beforeAll(async () => {
    staged = await startStagedCloud({ records: 1000 });
    dir = mkdtempSync(join(tmpdir(), 'backfill-approve-'));
    writeFileSync(join(dir, ENDPOINTS_FILE), JSON.stringify(staged.cloud.endpoints));
  }, 60_000);
  afterAll(() => staged.close());

  const status = async (executionArn: string) => (await staged.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;

  it('approves the open canary approval as the CLI\'s identity, and the run goes on to SUCCEEDED', async () => {
    const runId = 'cli-approve-1';
    const spec = stagedSpec({ approval: { approvers: [ME, 'demo-approver@example.com'], quorum: 1, preventSelfApproval: true } });
    const executionArn = await startStagedRun(staged, { ...spec, startedBy: SOMEONE_ELSE }, runId);
    await approvalMessage(staged, executionArn, staged.messages.length + 1);
    const result = await runBackfill(['approve', runId, '--local', dir, '--comment', 'canary checked']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [approval] = await listApprovals(staged.cloud.env.deps, runId);
    expect(result.stdout).toBe(`recorded: ${ME} approved approval ${approval!.approvalId} of run ${runId}; quorum of 1 reached (${ME}): the run goes on with the rest in waves`);
    await waitFor(async () => (await status(executionArn)) === 'SUCCEEDED', { describe: 'the run to finish', timeoutMs: 120_000, intervalMs: 200 });
    expect((await getRun(staged.cloud.env.deps, runId))?.status).toBe('SUCCEEDED');
    expect(approval).toMatchObject({ status: 'APPROVED', decisions: { [ME]: expect.objectContaining({ decision: 'approve', comment: 'canary checked' }) } });
    expect((await listAudit(staged.cloud.env.deps, runId)).find((e) => e.type === 'ApprovalDecisionRecorded')).toMatchObject({ actor: ME, detail: { approver: ME, status: 'APPROVED' } });
  }, 180_000);

  it('re-sends a decision the ledger recorded but the run never received (its SendTaskSuccess failed), and says so; the run goes on', async () => {
    const runId = 'cli-approve-redeliver';
    // (an earlier test's run already wrote the target, so this canary changes nothing: the band admits 0%)
    const spec = stagedSpec({ validation: { expectedChangePercent: { min: 0, max: 100 } }, approval: { approvers: [ME, 'demo-approver@example.com'], quorum: 1, preventSelfApproval: true } });
    const executionArn = await startStagedRun(staged, { ...spec, startedBy: SOMEONE_ELSE }, runId);
    await approvalMessage(staged, executionArn, staged.messages.length + 1);
    // GIVEN the state a failed SendTaskSuccess leaves: the approval closed APPROVED in the ledger, the run still waiting
    const [open] = await listApprovals(staged.cloud.env.deps, runId);
    await recordDecision(staged.cloud.env.deps, { runId, approvalId: open!.approvalId, approver: ME, decision: 'approve', comment: 'first try', sourceIp: '127.0.0.1', userAgent: 'test' });
    expect(await status(executionArn)).toBe('RUNNING');
    // WHEN the approver runs backfill approve again THEN the recorded answer is re-sent, nothing new recorded
    const result = await runBackfill(['approve', runId, '--local', dir, '--comment', 'second try']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(`approval ${open!.approvalId} of run ${runId} was already approved, but that answer had not reached the run, which still waits: re-sent now (nothing new recorded); the run goes on`);
    await waitFor(async () => (await status(executionArn)) === 'SUCCEEDED', { describe: 'the run to finish', timeoutMs: 120_000, intervalMs: 200 });
    const [approval] = await listApprovals(staged.cloud.env.deps, runId);
    expect(approval?.decisions[ME]).toMatchObject({ comment: 'first try' });
  }, 180_000);

  it('refuses the starter\'s own approval (preventSelfApproval) with exit 1, nothing recorded, the run still waiting; --json gives the refusal', async () => {
    const runId = 'cli-approve-self';
    // The first test wrote the demo already: no change band, or this canary (changing nothing) fails its gate
    const spec = stagedSpec({ validation: undefined, approval: { approvers: [ME, 'demo-approver@example.com'], quorum: 1, preventSelfApproval: true } });
    const executionArn = await startStagedRun(staged, { ...spec, startedBy: ME }, runId);
    await approvalMessage(staged, executionArn, staged.messages.length + 1);
    const result = await runBackfill(['reject', runId, '--local', dir, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ refused: 'SelfApprovalError' });
    expect(result.stderr).toContain('refused (SelfApprovalError)');
    const [approval] = await listApprovals(staged.cloud.env.deps, runId);
    expect(approval).toMatchObject({ status: 'OPEN', decisions: {} });
    expect(await status(executionArn)).toBe('RUNNING');
    expect((await runBackfill(['approve', 'no-such-run', '--local', dir])).code).toBe(2);
  }, 180_000);
});
