import { approvalLink, csrfToken, newApprovalId } from '../../../lambdas/lib/approval';
import { listAudit, type AuditEvent } from '../../../lambdas/lib/ledger';
import { waitFor } from '../../support';
import { ALICE, BOB, PAGE_BASE_URL, formOf, urlEvent, useApprovalHarness, type ApprovalHarness, type Waiting } from './approvalHarness';

const decisionUrl = (waiting: Waiting) => `${PAGE_BASE_URL}/approvals/${waiting.approvalId}`;
const SOURCE = { sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (approval test)' };

/** The link with one query parameter replaced. */
function withParam(link: string, name: string, value: string): string {
  const url = new URL(link);
  url.searchParams.set(name, value);
  return url.toString();
}

/** A signature with one character changed (still 43 base64url characters). */
const alteredSig = (sig: string): string => `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;

describe('the approval page refuses, with a clear page and nothing changed', () => {
  const harness = useApprovalHarness();
  let h: ApprovalHarness;
  let waiting: Waiting;
  let aliceForm: Record<string, string>;
  beforeEach(async () => {
    h = harness();
    waiting = await h.startWaiting({ approvers: [ALICE, BOB], quorum: 2 });
    aliceForm = formOf(await h.page(urlEvent('GET', waiting.links[ALICE]!)));
  });

  /**
   * Sends the request, expects the refusal's status and page, and checks that nothing changed: the
   * approval record is as it was, the run still waits, and the refusal is audited with who, from where.
   */
  async function expectRefused(event: ReturnType<typeof urlEvent>, status: number, title: string, audited: Partial<AuditEvent> & { detail?: Record<string, unknown> }): Promise<string> {
    const before = await waiting.record();
    const auditBefore = (await listAudit(h.deps, waiting.runId)).length;
    const response = await h.page(event);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toContain(title);
    expect(response.body).toContain('Nothing was changed.');
    expect(await waiting.record()).toEqual(before);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
    const audit = await listAudit(h.deps, waiting.runId);
    expect(audit.length).toBe(auditBefore + 1);
    expect(audit.at(-1)).toMatchObject({ ...audited, detail: { approvalId: waiting.approvalId, ...SOURCE, ...audited.detail } });
    return response.body;
  }

  it('a forged or altered signature (403)', async () => {
    await expectRefused(urlEvent('GET', withParam(waiting.links[ALICE]!, 'sig', alteredSig(aliceForm.sig!))), 403, 'This approval link is not valid', {
      type: 'ApprovalPageRefused', detail: { refusal: 'ForgedLinkError', approver: ALICE },
    });
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...aliceForm, sig: alteredSig(aliceForm.sig!), decision: 'approve', comment: 'forged' }), 403, 'This approval link is not valid', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'ForgedLinkError', approver: ALICE, decision: 'approve', comment: 'forged' },
    });
  });

  it('an altered expiry reads as forged, not as a longer link (403)', async () => {
    await expectRefused(urlEvent('GET', withParam(waiting.links[ALICE]!, 'exp', String(Number(aliceForm.exp) + 86_400))), 403, 'This approval link is not valid', {
      type: 'ApprovalPageRefused', detail: { refusal: 'ForgedLinkError' },
    });
  });

  it('an expired link (410)', async () => {
    h.store.deps.clock.advance(2 * 86_400_000);
    try {
      await expectRefused(urlEvent('GET', waiting.links[ALICE]!), 410, 'This approval link has expired', { type: 'ApprovalPageRefused', detail: { refusal: 'ExpiredLinkError' } });
      await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...aliceForm, decision: 'approve', comment: '' }), 410, 'This approval link has expired', {
        type: 'ApprovalDecisionRefused', detail: { refusal: 'ExpiredLinkError' },
      });
    } finally {
      h.store.deps.clock.advance(-2 * 86_400_000);
    }
  });

  it('a replayed decision (409)', async () => {
    const decision = { ...aliceForm, decision: 'approve', comment: 'first' };
    expect((await h.page(urlEvent('POST', decisionUrl(waiting), decision))).statusCode).toBe(200);
    const body = await expectRefused(urlEvent('POST', decisionUrl(waiting), decision), 409, 'You have already decided', {
      type: 'ApprovalDecisionRefused', actor: ALICE, detail: { refusal: 'AlreadyDecidedError', approver: ALICE },
    });
    expect(body).toContain(`${ALICE} already decided approval ${waiting.approvalId}`);
  });

  it('an approver not on the list, even with a link signed by this deployment (403)', async () => {
    const mallory = approvalLink({ baseUrl: PAGE_BASE_URL, approvalId: waiting.approvalId, approver: 'mallory@example.com', expiresAt: new Date(Number(aliceForm.exp) * 1000) }, h.key);
    await expectRefused(urlEvent('GET', mallory), 403, 'You are not an approver of this run', {
      type: 'ApprovalPageRefused', detail: { refusal: 'NotAnApproverError', approver: 'mallory@example.com' },
    });
  });

  it("an approver not matching the link: bob's name on alice's signature (403)", async () => {
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...aliceForm, approver: BOB, decision: 'approve', comment: '' }), 403, 'This approval link is not valid', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'ForgedLinkError', approver: BOB },
    });
    await expectRefused(urlEvent('GET', withParam(waiting.links[ALICE]!, 'approver', BOB)), 403, 'This approval link is not valid', {
      type: 'ApprovalPageRefused', detail: { refusal: 'ForgedLinkError', approver: BOB },
    });
  });

  it('a missing or wrong CSRF token (403)', async () => {
    const { csrf: _none, ...withoutCsrf } = aliceForm;
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...withoutCsrf, decision: 'approve', comment: '' }), 403, 'This decision form is not valid', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'CsrfTokenError' },
    });
    const bobsCsrf = formOf(await h.page(urlEvent('GET', waiting.links[BOB]!))).csrf!;
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...aliceForm, csrf: bobsCsrf, decision: 'approve', comment: '' }), 403, 'This decision form is not valid', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'CsrfTokenError', approver: ALICE },
    });
  });

  it('a GET with a decision parameter (400): GET never decides', async () => {
    const body = await expectRefused(urlEvent('GET', withParam(waiting.links[ALICE]!, 'decision', 'approve')), 400, 'Request refused', {
      type: 'ApprovalPageRefused', detail: { refusal: 'DecisionOnGetError' },
    });
    expect(body).toContain('A GET request never decides an approval (it carried &quot;decision&quot;)');
  });

  it('a link with a parameter it does not have, or a repeated one (400)', async () => {
    await expectRefused(urlEvent('GET', withParam(waiting.links[ALICE]!, 'utm_source', 'mail')), 400, 'This approval link is malformed', {
      type: 'ApprovalPageRefused', detail: { refusal: 'MalformedLinkError' },
    });
    await expectRefused(urlEvent('GET', `${waiting.links[ALICE]!}&approver=${encodeURIComponent(BOB)}`), 400, 'This approval link is malformed', {
      type: 'ApprovalPageRefused', detail: { refusal: 'MalformedLinkError' },
    });
  });

  it('a path that is not /approvals/<id>, or a genuinely signed id no run has (404)', async () => {
    const other = await h.page(urlEvent('GET', `${PAGE_BASE_URL}/admin`));
    expect([other.statusCode, other.body.includes('There is no page at &quot;/admin&quot;')]).toEqual([404, true]);
    const unknownId = newApprovalId();
    const signed = approvalLink({ baseUrl: PAGE_BASE_URL, approvalId: unknownId, approver: ALICE, expiresAt: new Date(Number(aliceForm.exp) * 1000) }, h.key);
    const unknown = await h.page(urlEvent('GET', signed));
    expect([unknown.statusCode, unknown.body.includes(`No approval ${unknownId} exists in this deployment`)]).toEqual([404, true]);
    expect(await h.status(waiting.executionArn)).toBe('RUNNING');
  });

  it('any method but GET and POST (405 with Allow)', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD']) {
      await expectRefused(urlEvent(method, waiting.links[ALICE]!), 405, 'Method not allowed', { type: 'ApprovalPageRefused', detail: { refusal: 'MethodNotAllowedError', method } });
    }
    expect((await h.page(urlEvent('PUT', waiting.links[ALICE]!))).headers.allow).toBe('GET, POST');
  });

  it('a decision form that is not the page\'s form (400): not urlencoded, an unknown field, no decision', async () => {
    await expectRefused(urlEvent('POST', decisionUrl(waiting), undefined, { contentType: 'application/json', rawBody: JSON.stringify({ ...aliceForm, decision: 'approve' }) }), 400, 'Request refused', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'BadDecisionFormError' },
    });
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...aliceForm, decision: 'approve', comment: '', quorum: '1' }), 400, 'Request refused', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'BadDecisionFormError' },
    });
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...aliceForm, decision: 'maybe', comment: '' }), 400, 'Request refused', {
      type: 'ApprovalDecisionRefused', detail: { refusal: 'BadDecisionFormError' },
    });
  });

  it('the starter of the run, with preventSelfApproval (403)', async () => {
    waiting = await h.startWaiting({ approvers: [ALICE, BOB], quorum: 1, preventSelfApproval: true }, { startedBy: ALICE });
    const page = await h.page(urlEvent('GET', waiting.links[ALICE]!));
    expect(page.body).toContain('You started this run, so you cannot decide its approval');
    expect(page.body).not.toContain('<form');
    // The page offers no form; the starter posts one built from their link and a genuine CSRF token
    const link = new URL(waiting.links[ALICE]!);
    const form = { approver: ALICE, exp: link.searchParams.get('exp')!, sig: link.searchParams.get('sig')!, csrf: csrfToken({ approvalId: waiting.approvalId, approver: ALICE }, h.key) };
    await expectRefused(urlEvent('POST', decisionUrl(waiting), { ...form, decision: 'approve', comment: 'mine' }), 403, 'You cannot approve your own run', {
      type: 'ApprovalDecisionRefused', actor: ALICE, detail: { refusal: 'SelfApprovalError', comment: 'mine' },
    });
  });
});

describe('a decision after the run stopped waiting', () => {
  const harness = useApprovalHarness();

  it('is refused (410) with nothing recorded, and the same link works again once the run is resumed', async () => {
    const h = harness();
    const waiting = await h.startWaiting({ approvers: [ALICE, BOB], quorum: 1 });
    const form = formOf(await h.page(urlEvent('GET', waiting.links[ALICE]!)));
    await h.stop(waiting.executionArn);
    const before = await waiting.record();
    const response = await h.page(urlEvent('POST', decisionUrl(waiting), { ...form, decision: 'approve', comment: 'too late' }));
    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('The run no longer waits for this approval');
    expect(response.body).toContain(`Run ${waiting.runId} no longer waits for approval ${waiting.approvalId}`);
    expect(await waiting.record()).toEqual(before);
    expect((await listAudit(h.deps, waiting.runId)).at(-1)).toMatchObject({
      type: 'ApprovalDecisionRefused', actor: ALICE, detail: { refusal: 'RunNoLongerWaitsError', comment: 'too late', ...SOURCE },
    });
    const resumed = await h.resume(waiting);
    await waitFor(async () => (await waiting.record()).taskToken !== before.taskToken, { describe: 'the resumed run to wait' });
    expect((await h.page(urlEvent('POST', decisionUrl(waiting), { ...form, decision: 'approve', comment: 'now' }))).statusCode).toBe(200);
    await waitFor(async () => (await h.status(resumed)) === 'SUCCEEDED', { describe: 'the resumed run to go on' });
  });
});
