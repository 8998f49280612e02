import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { listAudit } from '../../../lambdas/lib/ledger';
import { waitFor } from '../../support';
import { ALICE, BOB, CAROL, PAGE_BASE_URL, formOf, urlEvent, useApprovalHarness, type ApprovalHarness, type Waiting } from './approvalHarness';

const decisionUrl = (waiting: Waiting) => `${PAGE_BASE_URL}/approvals/${waiting.approvalId}`;

describe('the approval page (Function URL events, a real waiting execution behind it)', () => {
  const harness = useApprovalHarness();

  /** The form an approver's page offers (after a GET of their link). */
  async function formFor(h: ApprovalHarness, waiting: Waiting, approver: string): Promise<Record<string, string>> {
    const page = await h.page(urlEvent('GET', waiting.links[approver]!));
    expect(page.statusCode).toBe(200);
    return formOf(page);
  }

  it('GET renders the evidence page with the run, the quorum and a plain form, under strict security headers, and decides nothing', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ALICE, BOB], quorum: 2 });
    const before = await waiting.record();
    const page = await h.page(urlEvent('GET', waiting.links[ALICE]!));
    expect(page.statusCode).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    });
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain(`Approve stage canary of run ${waiting.runId}?`);
    expect(page.body).toContain('local:starter');
    expect(page.body).toContain('test-code');
    expect(page.body).toContain('Counts and change ratio');
    expect(page.body).toContain('Determinism re-check');
    expect(page.body).toContain('Approved by 0 of the 2 needed');
    expect(page.body).toContain(`<form method="post" action="./${waiting.approvalId}">`);
    expect(page.body).toContain('<button type="submit" name="decision" value="approve">Approve</button>');
    expect(Object.keys(formOf(page)).sort()).toEqual(['approver', 'csrf', 'exp', 'sig']);
    expect(page.body).not.toContain(before.taskToken);
    // GET never decides: the record is as it was, the run still waits; the view is audited
    expect(await waiting.record()).toEqual(before);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    expect((await listAudit(h.deps, waiting.runId)).at(-1)).toMatchObject({ type: 'ApprovalPageViewed', actor: ALICE, detail: { sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (approval test)' } });
  });

  it('embeds the evidence escaped (a script in a record renders as text), and says so when the evidence cannot be read', async () => {
    const h = harness();
    const hostile = await h.startWaiting({ quorum: 1 }, {
      evidence: { failures: ['<script>alert(1)</script>'], passed: true, transform: '<img src=x onerror=alert(1)>' },
    });
    const page = await h.page(urlEvent('GET', hostile.links[ALICE]!));
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toMatch(/<script|<img/i);
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const missing = await h.startWaiting({ quorum: 1 });
    await h.store.clients.s3.send(new DeleteObjectCommand({ Bucket: h.deps.artifactsBucket, Key: `evidence/${missing.runId}/canary.json` }));
    const without = await h.page(urlEvent('GET', missing.links[ALICE]!));
    expect(without.statusCode).toBe(200);
    expect(without.body).toContain('The evidence cannot be shown:');
    expect(without.body).toContain(`evidence/${missing.runId}/canary.json`);
  });

  it('POST approve at a quorum of 1 releases the run with SendTaskSuccess { approvalId, approvedBy }', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ quorum: 1 });
    const response = await h.page(urlEvent('POST', decisionUrl(waiting), { ...(await formFor(h, waiting, ALICE)), decision: 'approve', comment: 'counts look right' }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Approved: the run goes on');
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the run to be released' });
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    expect(JSON.parse(described.output!).approval).toEqual({ approvalId: waiting.approvalId, approvedBy: [ALICE] });
    expect((await waiting.record()).decisions[ALICE]).toMatchObject({ decision: 'approve', comment: 'counts look right', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (approval test)' });
  });

  it('behind a base path (an HTTP API stage /prod) the form posts back under it, and the decision releases the run', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ quorum: 1 });
    // GIVEN the page served under /prod (the signature covers id, approver and expiry, not the base URL)
    const link = new URL(waiting.links[ALICE]!);
    const pageUrl = `${link.origin}/prod${link.pathname}${link.search}`;
    const page = await h.page(urlEvent('GET', pageUrl));
    expect(page.statusCode).toBe(200);
    // WHEN the browser resolves the form's action against the page's URL
    const action = /<form method="post" action="([^"]+)">/.exec(page.body)?.[1];
    const postUrl = new URL(action!, pageUrl).toString();
    // THEN it stays under the base path, and posting there decides
    expect(postUrl).toBe(`${PAGE_BASE_URL}/prod/approvals/${waiting.approvalId}`);
    const response = await h.page(urlEvent('POST', postUrl, { ...formOf(page), decision: 'approve', comment: '' }));
    expect(response.statusCode).toBe(200);
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the run to be released' });
  });

  it('POST reject fails the run with ApprovalRejected, naming who and why', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ quorum: 2 });
    const response = await h.page(urlEvent('POST', decisionUrl(waiting), { ...(await formFor(h, waiting, BOB)), decision: 'reject', comment: 'totals are off' }));
    expect([response.statusCode, response.body.includes('Rejected: the run stops')]).toEqual([200, true]);
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'FAILED', { describe: 'the run to fail' });
    const events = (await h.sfn.send(new GetExecutionHistoryCommand({ executionArn: waiting.executionArn }))).events!;
    expect(events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({
      error: 'ApprovalRejected',
      cause: `Approval ${waiting.approvalId} of run ${waiting.runId} was rejected by ${BOB}: totals are off`,
    });
    expect((await waiting.record()).status).toBe('REJECTED');
  });

  it('a decision recorded just as the run stops waiting is kept, audited as undelivered, and the page says so', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ quorum: 1 });
    // GIVEN a Step Functions client through which the run is stopped right before SendTaskSuccess arrives
    const racing = h.newSfnClient();
    racing.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'SendTaskSuccessCommand') await h.stop(waiting.executionArn);
      return next(args);
    }, { step: 'initialize' });
    try {
      const form = formOf(await h.page(urlEvent('GET', waiting.links[ALICE]!)));
      const response = await h.page(urlEvent('POST', decisionUrl(waiting), { ...form, decision: 'approve', comment: 'late' }), { sfn: racing });
      // THEN the approval stays given (a resumed run goes on with it), and the page and the audit say it did not reach the run
      expect([response.statusCode, response.body.includes('Your decision is recorded, but the run no longer waits')]).toEqual([200, true]);
      expect((await waiting.record()).status).toBe('APPROVED');
      expect((await listAudit(h.deps, waiting.runId)).at(-1)).toMatchObject({ type: 'ApprovalAnswerUndelivered', actor: ALICE, detail: { approvalId: waiting.approvalId, outcome: 'approved', error: 'TaskTimedOut' } });
    } finally {
      racing.destroy();
    }
  });

  it('a decision recorded whose SendTaskSuccess failed (throttled) is re-sent by the next POST while the task still waits, and the page says so', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ quorum: 1 });
    // GIVEN a Step Functions client whose first SendTaskSuccess is throttled (the call is recorded either way)
    const flaky = h.newSfnClient();
    const sent: string[] = [];
    flaky.middlewareStack.add((next, context) => async (args) => {
      sent.push(String(context.commandName));
      if (context.commandName === 'SendTaskSuccessCommand' && sent.filter((name) => name === 'SendTaskSuccessCommand').length === 1) {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });
      }
      return next(args);
    }, { step: 'initialize' });
    try {
      const form = { ...formOf(await h.page(urlEvent('GET', waiting.links[ALICE]!))), decision: 'approve', comment: 'counts look right' };
      // WHEN alice approves and the answer is throttled: the decision is recorded, the run still waits
      await expect(h.page(urlEvent('POST', decisionUrl(waiting), form), { sfn: flaky })).rejects.toThrow('Rate exceeded');
      expect((await waiting.record()).status).toBe('APPROVED');
      expect(await h.status(waiting.executionArn)).toBe('RUNNING');
      // AND she submits the form again: the recorded answer is re-sent, not refused as already decided
      const retried = await h.page(urlEvent('POST', decisionUrl(waiting), form), { sfn: flaky });
      expect([retried.statusCode, retried.body.includes('The recorded approval is delivered: the run goes on')]).toEqual([200, true]);
      await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the run to be released' });
      const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
      expect(JSON.parse(described.output!).approval).toEqual({ approvalId: waiting.approvalId, approvedBy: [ALICE] });
      expect(sent.filter((name) => name === 'SendTaskSuccessCommand')).toHaveLength(2);
      // THEN the decision is recorded once (as first given), and the re-send is audited
      expect((await waiting.record()).decisions[ALICE]).toMatchObject({ decision: 'approve', comment: 'counts look right' });
      expect((await listAudit(h.deps, waiting.runId)).at(-1)).toMatchObject({ type: 'ApprovalAnswerRedelivered', actor: ALICE, detail: { approvalId: waiting.approvalId, status: 'APPROVED' } });
    } finally {
      flaky.destroy();
    }
  });

  it('a quorum of 2: one approval does not release the run, the same approver twice counts once, the second approver releases it', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ALICE, BOB, CAROL], quorum: 2 });
    const alice = { ...(await formFor(h, waiting, ALICE)), decision: 'approve', comment: '' };
    const first = await h.page(urlEvent('POST', decisionUrl(waiting), alice));
    expect([first.statusCode, first.body.includes('Approved by 1 of the 2 needed')]).toEqual([200, true]);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    const again = await h.page(urlEvent('POST', decisionUrl(waiting), alice));
    expect(again.statusCode).toBe(409);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    expect((await waiting.record()).status).toBe('OPEN');
    const bob = await h.page(urlEvent('POST', decisionUrl(waiting), { ...(await formFor(h, waiting, BOB)), decision: 'approve', comment: 'ok' }));
    expect(bob.statusCode).toBe(200);
    await waitFor(async () => (await h.status(waiting.executionArn)) === 'SUCCEEDED', { describe: 'the quorum to release the run' });
    const described = await h.sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    expect(JSON.parse(described.output!).approval).toEqual({ approvalId: waiting.approvalId, approvedBy: [ALICE, BOB] });
    // AND the page now offers no form: to alice her decision, to carol the closed approval
    const aliceNow = await h.page(urlEvent('GET', waiting.links[ALICE]!));
    expect([aliceNow.body.includes('<form'), aliceNow.body.includes('You approved at'), aliceNow.body.includes('Approved by 2 of the 2 needed')]).toEqual([false, true, true]);
    const carolNow = await h.page(urlEvent('GET', waiting.links[CAROL]!));
    expect([carolNow.body.includes('<form'), carolNow.body.includes('This approval is APPROVED; it takes no more decisions.')]).toEqual([false, true]);
  });
});
