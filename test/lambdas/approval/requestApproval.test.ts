import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beginStage, listApprovals, listAudit, listStages, recordStageValidation, startOrResumeRun } from '../../../lambdas/lib/ledger';
import { specHash, type Approval, type Spec } from '../../../lambdas/lib/spec';
import type { PlannedStage } from '../../../lambdas/lib/stages';
import { createHandler } from '../../../lambdas/request-approval/handler';
import { specFor } from '../fixtures/specs';
import { approvalIndexPk, APPROVAL_INDEX_SK } from '../../../lambdas/lib/ledger/keys';
import { waitFor } from '../../support';
import { ALICE, BOB, PAGE_BASE_URL, STARTER, TOPIC_ARN, auditTypes, formOf, linkIn, urlEvent, useApprovalHarness } from './approvalHarness';

describe('RequestApproval (a waitForTaskToken Task on the local Step Functions API)', () => {
  const harness = useApprovalHarness();

  it('stores the approval and its index, and publishes one message per approver with their own link and no task token', async () => {
    const h = harness();
    const before = h.published.length;
    const waiting = await h.startWaiting({ approvers: [ALICE, BOB], quorum: 1, timeoutSeconds: 3600 });
    const record = await waiting.record();
    // THEN the record is OPEN, holds the token server-side, and expires with the links
    expect(record).toMatchObject({ status: 'OPEN', stage: 'canary', approvers: [ALICE, BOB], quorum: 1, startedBy: STARTER, evidenceKey: `evidence/${waiting.runId}/canary.json` });
    expect(record.approvalId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(record.expiresAtMs).toBe(h.deps.clock.nowMs() + 3_600_000);
    // AND the index item leads from the id alone to the run
    const { Item } = await h.store.clients.ddb.send(new GetCommand({ TableName: h.deps.ledgerTable, Key: { pk: approvalIndexPk(waiting.approvalId), sk: APPROVAL_INDEX_SK } }));
    expect(Item).toMatchObject({ runId: waiting.runId, approvalId: waiting.approvalId });
    // AND exactly one message per approver, with the approver attribute the filter policies match
    const messages = h.published.slice(before);
    expect(messages.map((m) => m.MessageAttributes)).toEqual([
      { approver: { DataType: 'String', StringValue: ALICE } },
      { approver: { DataType: 'String', StringValue: BOB } },
    ]);
    for (const message of messages) {
      expect(message).toEqual({ TopicArn: TOPIC_ARN, Subject: `Approve stage canary of backfill run ${waiting.runId}`, Message: expect.any(String), MessageAttributes: expect.any(Object) });
      expect(message.Message).toContain(`${STARTER} started backfill run ${waiting.runId}`);
      expect(message.Message).toContain('Its canary stage is written and validated');
      expect(message.Message).toContain(`expires at ${new Date(record.expiresAtMs).toISOString()}`);
      expect(message.Message).not.toContain(record.taskToken);
    }
    const alice = new URL(waiting.links[ALICE]!);
    expect(`${alice.origin}${alice.pathname}`).toBe(`${PAGE_BASE_URL}/approvals/${waiting.approvalId}`);
    expect(alice.searchParams.get('approver')).toBe(ALICE);
    expect(alice.searchParams.get('exp')).toBe(String(record.expiresAtMs / 1000));
    expect(waiting.links[BOB]).not.toBe(waiting.links[ALICE]);
    // AND the audit trail has the request, never the token
    const audit = await listAudit(h.deps, waiting.runId);
    expect(audit.map((e) => e.type)).toContain('ApprovalRequested');
    expect(JSON.stringify(audit)).not.toContain(record.taskToken);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    // AND the stage says which approval it waits for
    expect((await listStages(h.deps, waiting.runId)).find((s) => s.name === 'canary')).toMatchObject({ status: 'AWAITING_APPROVAL', approvalId: waiting.approvalId });
  });

  it('on a resume waits again on the same approval: a new task token, the same links as a reminder, and the approval releases the new execution', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ quorum: 1 });
    const first = await waiting.record();
    // GIVEN the run's execution was stopped while it waited
    await h.stop(waiting.executionArn);
    // WHEN the resumed run's RequestApproval runs with the approvalId
    const before = h.published.length;
    const resumed = await h.resume(waiting);
    const reminders = await waitFor(() => h.published.length >= before + 2 && h.published.slice(before), { describe: 'the reminders' });
    // THEN the same approval holds the new token (OPEN → OPEN, audited without it)
    const record = await waitFor(async () => {
      const r = await waiting.record();
      return r.taskToken !== first.taskToken && r;
    }, { describe: 'the token to be replaced' });
    expect(record).toMatchObject({ status: 'OPEN', approvalId: waiting.approvalId, version: first.version + 1, expiresAtMs: first.expiresAtMs });
    expect(await auditTypes(h.deps, waiting.runId)).toContain('ApprovalTaskTokenReplaced');
    expect(JSON.stringify(await listAudit(h.deps, waiting.runId))).not.toContain(record.taskToken);
    // AND the reminders carry the very same links
    expect(reminders.map(linkIn)).toEqual([waiting.links[ALICE], waiting.links[BOB]]);
    expect(reminders[0]!.Subject).toBe(`Reminder: approve stage canary of backfill run ${waiting.runId}`);
    // AND approving through the original link releases the resumed execution
    const page = await h.page(urlEvent('GET', waiting.links[ALICE]!));
    const decided = await h.page(urlEvent('POST', `${PAGE_BASE_URL}/approvals/${waiting.approvalId}`, { ...formOf(page), decision: 'approve', comment: 'looks right' }));
    expect(decided.statusCode).toBe(200);
    await waitFor(async () => (await h.status(resumed)) === 'SUCCEEDED', { describe: 'the resumed execution to succeed' });
  });

  it('on a resume of an approval decided meanwhile, answers the new token at once (approved: success; rejected: ApprovalRejected)', async () => {
    const h = harness();
    // GIVEN one approval approved and one rejected (their first executions got the answer and ended)
    const approved = await h.startWaiting({ quorum: 1 });
    const rejected = await h.startWaiting({ quorum: 1 });
    for (const [waiting, decision] of [[approved, 'approve'], [rejected, 'reject']] as const) {
      const page = await h.page(urlEvent('GET', waiting.links[BOB]!));
      await h.page(urlEvent('POST', `${PAGE_BASE_URL}/approvals/${waiting.approvalId}`, { ...formOf(page), decision, comment: '' }));
      expect((await waiting.record()).status).toBe(decision === 'approve' ? 'APPROVED' : 'REJECTED');
    }
    const before = h.published.length;
    // WHEN both runs resume
    const approvedAgain = await h.resume(approved);
    const rejectedAgain = await h.resume(rejected);
    // THEN the approved one goes on, the rejected one fails through the Catch, and nobody is asked again
    await waitFor(async () => (await h.status(approvedAgain)) === 'SUCCEEDED', { describe: 'the approved run to go on' });
    await waitFor(async () => (await h.status(rejectedAgain)) === 'FAILED', { describe: 'the rejected run to fail' });
    expect(h.published.length).toBe(before);
  });

  it('a retried attempt (new task token) after the messages failed waits on the approval already stored, not a second one', async () => {
    const h = harness();
    // GIVEN the first attempt stores the approval and marks the stage, then SNS fails on its first message
    h.notifierFailures.count = 1;
    const waiting = await h.startWaiting({ approvers: [ALICE, BOB], quorum: 1 });
    // THEN the retry (the ASL's Retry, with a new token) sent both links of that one approval
    expect(await listApprovals(h.deps, waiting.runId)).toHaveLength(1);
    expect(await auditTypes(h.deps, waiting.runId)).toContain('ApprovalTaskTokenReplaced');
    expect(Object.keys(waiting.links).sort()).toEqual([ALICE, BOB]);
    // AND approving through the link releases the retried attempt
    const page = await h.page(urlEvent('GET', waiting.links[ALICE]!));
    expect((await h.page(urlEvent('POST', `${PAGE_BASE_URL}/approvals/${waiting.approvalId}`, { ...formOf(page), decision: 'approve', comment: '' }))).statusCode).toBe(200);
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the retried attempt to be released' });
  });

  /** A run of the staged spec with `approval`, started without a `startedBy`, whose canary passed its gate. */
  async function validatedRunWithoutStarter(runId: string, approval: Partial<Approval>): Promise<void> {
    const h = harness();
    const spec: Spec = specFor('source-bucket', 'orders/', { rollout: { canary: { batches: 1 }, waves: [100] }, approval: { approvers: [ALICE, BOB], ...approval } } as Partial<Spec>);
    await startOrResumeRun(h.deps, { runId, spec, specHash: specHash(spec) });
    const stage: PlannedStage = { name: 'canary', kind: 'canary', index: 0, firstBatch: 0, batchCount: 1, cumulativePercent: 10, manifestKey: `manifests/${runId}/plan-canary.jsonl` };
    await beginStage(h.deps, { runId, stage });
    await recordStageValidation(h.deps, { runId, stage, passed: true, evidenceKey: `evidence/${runId}/canary.json`, failures: [] });
  }

  it('with preventSelfApproval, refuses a run started without startedBy (fails closed): no approval, no message, the stage still VALIDATED', async () => {
    const h = harness();
    await validatedRunWithoutStarter('unknown-starter-run', {});
    const before = h.published.length;
    // WHEN RequestApproval runs for a run whose starter nobody recorded
    const request = createHandler(h.deps)({ runId: 'unknown-starter-run', stage: 'canary', taskToken: 'token' }, { awsRequestId: 'r' });
    // THEN it refuses, naming both fixes
    await expect(request).rejects.toMatchObject({ name: 'UnknownStarterError', runId: 'unknown-starter-run', stage: 'canary' });
    await expect(request).rejects.toThrow(
      'Run unknown-starter-run was started without startedBy, so spec.approval.preventSelfApproval cannot tell whether an approver started it; ' +
        'start the run with the backfill CLI (it sets startedBy from your identity) or give "startedBy" in the execution input, or set approval.preventSelfApproval to false',
    );
    // AND nothing was stored or sent
    expect(await listApprovals(h.deps, 'unknown-starter-run')).toEqual([]);
    expect(h.published.length).toBe(before);
    expect((await listStages(h.deps, 'unknown-starter-run')).find((s) => s.name === 'canary')?.status).toBe('VALIDATED');
  });

  it('without preventSelfApproval, requests the approval of a run started without startedBy', async () => {
    const h = harness();
    await validatedRunWithoutStarter('unknown-starter-allowed', { preventSelfApproval: false });
    const result = await createHandler(h.deps)({ runId: 'unknown-starter-allowed', stage: 'canary', taskToken: 'token' }, { awsRequestId: 'r' });
    expect(result).toMatchObject({ outcome: 'requested', notified: 2 });
    expect(await listApprovals(h.deps, 'unknown-starter-allowed')).toHaveLength(1);
  });

  it('refuses a run whose spec asks for no approval, naming the fix', async () => {
    const h = harness();
    const spec = specFor('source-bucket', 'orders/');
    await startOrResumeRun(h.deps, { runId: 'no-approval-run', spec, specHash: specHash(spec) });
    await expect(createHandler(h.deps)({ runId: 'no-approval-run', stage: 'canary', taskToken: 'token' }, { awsRequestId: 'r' })).rejects.toThrow(
      'Run no-approval-run has no spec.approval, so stage canary cannot wait for one; add "approval" to the spec',
    );
  });
});
