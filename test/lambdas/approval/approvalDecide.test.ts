import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { createHandler as createApprovalDecide } from '../../../lambdas/approval-decide/handler';
import type { DecisionEvent } from '../../../lambdas/lib/approval/decide/decisionEvent';
import { listAudit } from '../../../lambdas/lib/ledger';
import type { Approval } from '../../../lambdas/lib/spec';
import { waitFor } from '../../support';
import { BOB, useApprovalHarness, type ApprovalHarness } from './approvalHarness';

const ANNA = 'arn:aws:sts::123456789012:assumed-role/BackfillApprover/anna@example.com';
const BEN = 'arn:aws:iam::123456789012:user/ben';
const MALLORY = 'arn:aws:sts::123456789012:assumed-role/BackfillApprover/mallory@example.com';
const context = { awsRequestId: 'decide-1' };

/** A Function URL event as AWS delivers it after verifying the caller's SigV4 signature (AuthType AWS_IAM). */
function iamEvent(caller: string | undefined, body: Record<string, unknown>, overrides: { method?: string; path?: string } = {}): DecisionEvent {
  return {
    rawPath: overrides.path ?? '/decisions',
    headers: { 'content-type': 'application/json', 'user-agent': 'backfill-cli/test' },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      http: { method: overrides.method ?? 'POST', sourceIp: '198.51.100.9', userAgent: 'backfill-cli/test' },
      ...(caller === undefined ? {} : { authorizer: { iam: { userArn: caller } } }),
    },
  };
}

describe('the IAM decision endpoint (backfill approve|reject; a real waiting execution behind it)', () => {
  const harness = useApprovalHarness();
  const decide = (h: ApprovalHarness, event: DecisionEvent) => createApprovalDecide(h.deps)(event, context);
  const answerOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>;

  it('approve by an approver ARN at a quorum of 1 releases the run, the caller\'s ARN recorded and audited as the approver', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ANNA, BOB], quorum: 1 });
    const response = await decide(h, iamEvent(ANNA, { runId: waiting.runId, decision: 'approve', comment: 'canary checked' }));
    expect(response.statusCode).toBe(200);
    expect(answerOf(response)).toEqual({ runId: waiting.runId, approvalId: waiting.approvalId, approver: ANNA, outcome: 'approved', approvedBy: [ANNA], quorum: 1 });
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the run to be released' });
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    expect(JSON.parse(described.output!).approval).toEqual({ approvalId: waiting.approvalId, approvedBy: [ANNA] });
    expect((await waiting.record()).decisions[ANNA]).toMatchObject({ decision: 'approve', comment: 'canary checked', sourceIp: '198.51.100.9', userAgent: 'backfill-cli/test' });
    expect((await listAudit(h.deps, waiting.runId)).find((e) => e.type === 'ApprovalDecisionRecorded')).toMatchObject({ actor: ANNA, detail: { approver: ANNA, status: 'APPROVED' } });
  });

  it('a quorum of 2: the first approval answers pending and the run waits; the second (by approval id) releases it', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ANNA, BEN], quorum: 2 });
    const first = await decide(h, iamEvent(ANNA, { runId: waiting.runId, decision: 'approve', comment: '' }));
    expect(answerOf(first)).toMatchObject({ outcome: 'pending', approvedBy: [ANNA], quorum: 2 });
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    const again = await decide(h, iamEvent(ANNA, { runId: waiting.runId, decision: 'approve', comment: '' }));
    expect(again.statusCode).toBe(409);
    expect(answerOf(again)).toMatchObject({ refused: 'AlreadyDecidedError' });
    const second = await decide(h, iamEvent(BEN, { runId: waiting.runId, approvalId: waiting.approvalId, decision: 'approve', comment: 'ok' }));
    expect(answerOf(second)).toMatchObject({ outcome: 'approved', approvedBy: [ANNA, BEN].sort(), quorum: 2 });
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the run to be released' });
  });

  it('reject fails the waiting task with ApprovalRejected, naming the caller and the comment', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ANNA, BEN], quorum: 2 });
    const response = await decide(h, iamEvent(BEN, { runId: waiting.runId, decision: 'reject', comment: 'totals are off' }));
    expect(answerOf(response)).toMatchObject({ outcome: 'rejected', rejectedBy: BEN, comment: 'totals are off' });
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'FAILED', { describe: 'the run to fail' });
    const history = await h.sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    expect(history.error).toBe('ApprovalRejected');
    expect((await waiting.record()).status).toBe('REJECTED');
  });

  it('a rejection whose SendTaskFailure failed (throttled) is re-sent by the next backfill reject while the task still waits, and the answer says so', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ANNA, BEN], quorum: 2 });
    // GIVEN a Step Functions client whose first SendTaskFailure is throttled
    const flaky = h.newSfnClient();
    let failures = 0;
    flaky.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'SendTaskFailureCommand' && failures++ === 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });
      return next(args);
    }, { step: 'initialize' });
    const flakyDecide = (event: DecisionEvent) => createApprovalDecide({ ...h.deps, approvals: { ...h.deps.approvals!, sfn: flaky } })(event, context);
    try {
      await expect(flakyDecide(iamEvent(BEN, { runId: waiting.runId, decision: 'reject', comment: 'totals are off' }))).rejects.toThrow('Rate exceeded');
      expect([(await waiting.record()).status, await h.status(waiting.executionArn)]).toEqual(['REJECTED', 'RUNNING']);
      // WHEN ben runs backfill reject again (the approval is no longer OPEN, but its task still waits)
      const retried = await flakyDecide(iamEvent(BEN, { runId: waiting.runId, decision: 'reject', comment: 'again' }));
      // THEN the recorded rejection is re-sent and the run fails with it
      expect(retried.statusCode).toBe(200);
      expect(answerOf(retried)).toEqual({ runId: waiting.runId, approvalId: waiting.approvalId, approver: BEN, outcome: 'redelivered', decided: 'rejected' });
      await waitFor(async () => (await h.status(waiting.executionArn)) === 'FAILED', { describe: 'the run to fail' });
      const events = (await h.sfn.send(new GetExecutionHistoryCommand({ executionArn: waiting.executionArn }))).events!;
      expect(events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
        error: 'ApprovalRejected',
        cause: `Approval ${waiting.approvalId} of run ${waiting.runId} was rejected by ${BEN}: totals are off`,
      });
      expect(failures).toBe(2);
    } finally {
      flaky.destroy();
    }
  });

  it.each<[string, Partial<Approval>, string | undefined, string | undefined, number, string]>([
    ['an ARN not among the approvers', { approvers: [ANNA, BEN] }, undefined, MALLORY, 403, 'NotAnApproverError'],
    ['the run\'s starter (preventSelfApproval)', { approvers: [ANNA, BEN], preventSelfApproval: true }, ANNA, ANNA, 403, 'SelfApprovalError'],
    ['a request without an IAM caller', { approvers: [ANNA, BEN] }, undefined, undefined, 403, 'UnauthenticatedCallerError'],
  ])('refuses %s with nothing changed: the record as it was, the task still waiting, the refusal audited', async (_name, approval, startedBy, caller, status, refused) => {
    const h = harness();
    const waiting = await h.startWaiting(approval, startedBy === undefined ? {} : { startedBy });
    const before = await waiting.record();
    const response = await decide(h, iamEvent(caller, { runId: waiting.runId, decision: 'approve', comment: 'let me in' }));
    expect(response.statusCode).toBe(status);
    expect(answerOf(response)).toMatchObject({ refused });
    expect(await waiting.record()).toEqual(before);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    if (caller !== undefined) {
      expect((await listAudit(h.deps, waiting.runId)).at(-1)).toMatchObject({ type: 'ApprovalDecisionRefused', actor: caller, detail: { refusal: refused } });
    }
  });

  it('refuses a run without an open approval, a wrong method and a body that is not the decision, naming the problem', async () => {
    const h = harness();
    const none = await decide(h, iamEvent(ANNA, { runId: 'no-such-run', decision: 'approve', comment: '' }));
    expect(none.statusCode).toBe(409);
    expect(answerOf(none).message).toBe('Run no-such-run has no open approval (no stage has requested one); nothing was recorded; check the run with `backfill approvals no-such-run`');
    expect((await decide(h, iamEvent(ANNA, { runId: 'r' }, { method: 'GET' }))).statusCode).toBe(405);
    const bad = await decide(h, iamEvent(ANNA, { runId: 'r', decision: 'maybe' }));
    expect(bad.statusCode).toBe(400);
    expect(answerOf(bad).message).toContain('decision must be "approve" or "reject"');
  });
});
