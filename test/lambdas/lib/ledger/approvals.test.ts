import {
  AlreadyDecidedError,
  APPROVAL_TRANSITIONS,
  ApprovalClosedError,
  ApprovalExistsError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  DecisionRequestSchema,
  MAX_COMMENT_LENGTH,
  expireApproval,
  InvalidApprovalRequestError,
  listAudit,
  newApprovalId,
  NotAnApproverError,
  readApprovalForPage,
  recordDecision,
  requestApproval,
  SelfApprovalError,
  indexApproval,
  listApprovals,
  replaceTaskToken,
  runOfApproval,
  type ApprovalRequest,
  type DecisionRequest,
} from '../../../../lambdas/lib/ledger';
import { getApproval } from '../../../../lambdas/lib/ledger/approvals/ApprovalRecord';
import { createTestStore, dynamoTargets, useEmulators, type TestStore } from '../../../support';

const TOKEN = 'task-token-SECRET-0123456789';
const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const HOUR_MS = 3_600_000;

describe.each(dynamoTargets())('approval records on %s', (target) => {
  const env = useEmulators(target);
  let store: TestStore;
  let runSeq = 0;
  beforeAll(async () => {
    store = await createTestStore(env());
  });

  /** A fresh run with one OPEN approval (quorum 1 of alice, bob, carol; started by bob) unless overridden. */
  async function openApproval(overrides: Partial<ApprovalRequest> = {}): Promise<ApprovalRequest> {
    const request: ApprovalRequest = {
      runId: `approvals-${++runSeq}`,
      stage: 'canary',
      approvalId: newApprovalId(),
      taskToken: TOKEN,
      approvers: [ALICE, BOB, CAROL],
      quorum: 1,
      expiresAt: new Date(store.deps.clock.nowMs() + HOUR_MS).toISOString(),
      startedBy: BOB,
      preventSelfApproval: true,
      ...overrides,
    };
    await requestApproval(store.deps, request);
    return request;
  }

  const decision = (approval: ApprovalRequest, approver: string, choice: 'approve' | 'reject' = 'approve'): DecisionRequest => ({
    runId: approval.runId,
    approvalId: approval.approvalId,
    approver,
    decision: choice,
    comment: `${choice} by ${approver}`,
    sourceIp: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (test)',
  });

  const stored = (approval: ApprovalRequest) => getApproval(store.deps, approval.runId, approval.approvalId);
  const auditTypes = async (runId: string) => (await listAudit(store.deps, runId)).map((e) => e.type);

  /** Runs `act`, expects it to throw `errorClass`, and checks the record did not change and the refusal was audited. */
  async function expectRefused(approval: ApprovalRequest, errorClass: new (...args: never[]) => Error, act: () => Promise<unknown>, audited = true): Promise<void> {
    const before = await stored(approval);
    const auditBefore = (await listAudit(store.deps, approval.runId)).length;
    await expect(act()).rejects.toBeInstanceOf(errorClass);
    expect(await stored(approval)).toEqual(before);
    const events = await listAudit(store.deps, approval.runId);
    expect(events.length).toBe(auditBefore + (audited ? 1 : 0));
    if (audited) expect(events.at(-1)).toMatchObject({ type: 'ApprovalDecisionRefused', detail: { refusal: errorClass.name } });
  }

  describe('allowed transitions (APPROVAL_TRANSITIONS)', () => {
    it('has exactly the moves tested below', () => {
      expect(APPROVAL_TRANSITIONS.map((t) => `${t.from ?? '(none)'} → ${t.to}`)).toEqual([
        '(none) → OPEN',
        'OPEN → OPEN',
        'OPEN → OPEN',
        'OPEN → APPROVED',
        'OPEN → REJECTED',
        'OPEN → EXPIRED',
      ]);
    });

    it('(none) → OPEN: requestApproval stores the record and audits ApprovalRequested without the token', async () => {
      // GIVEN no approval WHEN one is requested
      const approval = await openApproval();
      // THEN it is OPEN with its approvers and quorum
      expect(await stored(approval)).toMatchObject({ status: 'OPEN', approvers: [ALICE, BOB, CAROL], quorum: 1, taskToken: TOKEN, decisions: {}, version: 0 });
      // AND the audit names it, by its starter, but never carries the token
      const events = await listAudit(store.deps, approval.runId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'ApprovalRequested', actor: BOB, detail: { approvalId: approval.approvalId, stage: 'canary', quorum: 1 } });
      expect(JSON.stringify(events)).not.toContain(TOKEN);
    });

    it('OPEN → OPEN: an approval below the quorum is pending, without the token', async () => {
      const approval = await openApproval({ quorum: 2 });
      const next = await recordDecision(store.deps, decision(approval, ALICE));
      expect(next).toEqual({ outcome: 'pending', approvedBy: [ALICE], quorum: 2 });
      expect(JSON.stringify(next)).not.toContain(TOKEN);
      expect(await stored(approval)).toMatchObject({ status: 'OPEN', version: 1, decisions: { [ALICE]: { decision: 'approve' } } });
    });

    it('OPEN → OPEN: replaceTaskToken gives a resumed run\'s token to the same approval, bumps its version, audits without either token', async () => {
      const approval = await openApproval();
      const NEW_TOKEN = 'task-token-RESUMED-9876543210';
      const result = await replaceTaskToken(store.deps, { runId: approval.runId, approvalId: approval.approvalId, taskToken: NEW_TOKEN, actor: BOB });
      expect(result.replaced).toBe(true);
      expect(await stored(approval)).toMatchObject({ status: 'OPEN', taskToken: NEW_TOKEN, version: 1, expiresAt: approval.expiresAt });
      expect(result.record).toEqual(await stored(approval));
      const events = await listAudit(store.deps, approval.runId);
      expect(events.at(-1)).toMatchObject({ type: 'ApprovalTaskTokenReplaced', actor: BOB, detail: { approvalId: approval.approvalId, stage: 'canary' } });
      expect(JSON.stringify(events)).not.toContain(TOKEN);
      expect(JSON.stringify(events)).not.toContain(NEW_TOKEN);
      // AND the decision that releases it hands out the new token, not the old one
      const outcome = await recordDecision(store.deps, decision(approval, ALICE));
      expect(outcome).toMatchObject({ outcome: 'approved', taskToken: NEW_TOKEN });
    });

    it('OPEN → OPEN is refused on a decided approval: replaceTaskToken returns it unchanged for the caller to answer at once', async () => {
      const approval = await openApproval();
      await recordDecision(store.deps, decision(approval, ALICE));
      const before = await stored(approval);
      const result = await replaceTaskToken(store.deps, { runId: approval.runId, approvalId: approval.approvalId, taskToken: 'another-token' });
      expect(result).toEqual({ replaced: false, record: before });
      expect(await stored(approval)).toEqual(before);
      await expect(replaceTaskToken(store.deps, { runId: approval.runId, approvalId: newApprovalId(), taskToken: 't' })).rejects.toBeInstanceOf(ApprovalNotFoundError);
    });

    it('OPEN → APPROVED: reaching the quorum returns the token for SendTaskSuccess', async () => {
      const approval = await openApproval();
      const next = await recordDecision(store.deps, decision(approval, ALICE));
      expect(next).toEqual({ outcome: 'approved', taskToken: TOKEN, approvedBy: [ALICE], quorum: 1 });
      expect(await stored(approval)).toMatchObject({ status: 'APPROVED', closedAt: new Date(store.deps.clock.nowMs()).toISOString() });
    });

    it('OPEN → REJECTED: any rejection returns the token for SendTaskFailure', async () => {
      const approval = await openApproval({ quorum: 2 });
      await recordDecision(store.deps, decision(approval, ALICE));
      const next = await recordDecision(store.deps, decision(approval, CAROL, 'reject'));
      expect(next).toEqual({ outcome: 'rejected', taskToken: TOKEN, rejectedBy: CAROL, comment: `reject by ${CAROL}` });
      expect((await stored(approval))?.status).toBe('REJECTED');
    });

    it('OPEN → EXPIRED: expireApproval closes it and audits ApprovalExpired', async () => {
      const approval = await openApproval();
      expect(await expireApproval(store.deps, { ...approval, reason: 'States.Timeout' })).toEqual({ expired: true });
      expect(await stored(approval)).toMatchObject({ status: 'EXPIRED', expiredReason: 'States.Timeout' });
      expect(await auditTypes(approval.runId)).toEqual(['ApprovalRequested', 'ApprovalExpired']);
    });
  });

  describe('refused transitions: nothing changes', () => {
    it('requestApproval refuses an approvalId already used', async () => {
      const approval = await openApproval();
      await expectRefused(approval, ApprovalExistsError, () => requestApproval(store.deps, { ...approval, taskToken: 'another-token' }), false);
    });

    it.each([
      ['a quorum above the approvers', { quorum: 4 }, /quorum must not exceed/],
      ['an id of fewer than 128 bits', { approvalId: 'short' }, /approvalId must be ≥ 22 base64url/],
      ['no approvers', { approvers: [], quorum: 1 }, /approvers/],
      ['the same approver twice', { approvers: [ALICE, ALICE] }, /approvers must be distinct/],
    ])('requestApproval refuses %s, storing nothing', async (_name, overrides, message) => {
      const runId = `invalid-${++runSeq}`;
      const request = { runId, stage: 'canary', approvalId: newApprovalId(), taskToken: TOKEN, approvers: [ALICE], quorum: 1, expiresAt: '2026-01-02T00:00:00.000Z', startedBy: BOB, preventSelfApproval: true, ...overrides };
      const refused = requestApproval(store.deps, request);
      await expect(refused).rejects.toBeInstanceOf(InvalidApprovalRequestError);
      await expect(refused).rejects.toThrow(message);
      expect(await getApproval(store.deps, runId, request.approvalId)).toBeUndefined();
      expect(await listAudit(store.deps, runId)).toEqual([]);
    });

    it('a decision on an approval that does not exist: ApprovalNotFoundError', async () => {
      const approval = { ...(await openApproval()), approvalId: newApprovalId() };
      await expectRefused(approval, ApprovalNotFoundError, () => recordDecision(store.deps, decision(approval, ALICE)));
    });

    it.each([
      ['APPROVED', (a: ApprovalRequest) => recordDecision(store.deps, decision(a, ALICE))],
      ['REJECTED', (a: ApprovalRequest) => recordDecision(store.deps, decision(a, ALICE, 'reject'))],
      ['EXPIRED', (a: ApprovalRequest) => expireApproval(store.deps, { ...a, reason: 'States.Timeout' })],
    ])('%s → any: a later decision is refused with ApprovalClosedError', async (_status, close) => {
      const approval = await openApproval();
      await close(approval);
      await expectRefused(approval, ApprovalClosedError, () => recordDecision(store.deps, decision(approval, CAROL)));
    });

    it.each([
      ['APPROVED', 'approve'],
      ['REJECTED', 'reject'],
    ] as const)('%s → EXPIRED: expireApproval is refused with ApprovalClosedError', async (_status, choice) => {
      const approval = await openApproval();
      await recordDecision(store.deps, decision(approval, ALICE, choice));
      await expectRefused(approval, ApprovalClosedError, () => expireApproval(store.deps, { ...approval, reason: 'States.Timeout' }), false);
    });

    it('EXPIRED → EXPIRED: expiring again changes nothing and says so', async () => {
      const approval = await openApproval();
      await expireApproval(store.deps, { ...approval, reason: 'States.Timeout' });
      const before = await stored(approval);
      expect(await expireApproval(store.deps, { ...approval, reason: 'again' })).toEqual({ expired: false });
      expect(await stored(approval)).toEqual(before);
      expect(await auditTypes(approval.runId)).toEqual(['ApprovalRequested', 'ApprovalExpired']);
    });

    it('an OPEN approval past its expiry refuses a decision with ApprovalExpiredError', async () => {
      const approval = await openApproval();
      store.deps.clock.advance(HOUR_MS);
      await expectRefused(approval, ApprovalExpiredError, () => recordDecision(store.deps, decision(approval, ALICE)));
    });

    it('someone not on the list is refused with NotAnApproverError', async () => {
      const approval = await openApproval();
      await expectRefused(approval, NotAnApproverError, () => recordDecision(store.deps, decision(approval, 'mallory@example.com')));
    });

    it('the starter is refused with SelfApprovalError when preventSelfApproval', async () => {
      const approval = await openApproval();
      await expectRefused(approval, SelfApprovalError, () => recordDecision(store.deps, decision(approval, BOB)));
    });

    it.each([
      ['the same address in another case', 'Bob@Example.com'],
      ['an assumed-role session named by the address (SSO)', 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Backfill_0123/bob@example.com'],
      ['an IAM user named by the address', 'arn:aws:iam::123456789012:user/people/bob@example.com'],
    ])('the starter recorded as %s is refused with SelfApprovalError', async (_how, startedBy) => {
      const approval = await openApproval({ startedBy });
      await expectRefused(approval, SelfApprovalError, () => recordDecision(store.deps, decision(approval, BOB)));
    });

    it.each([
      ['SSO sessions of two roles', 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Operator_x/bob@example.com', 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_y/bob@example.com'],
      ['an address and a session named by it', 'bob@example.com', 'arn:aws:sts::123456789012:assumed-role/BackfillApprover/Bob@example.com'],
      ['a federated user and an IAM user of one name', 'arn:aws:sts::123456789012:federated-user/bob', 'arn:aws:iam::123456789012:user/ops/bob'],
      ['a local identity and an IAM user of one name', 'local:bob', 'arn:aws:iam::123456789012:user/bob'],
    ])('the starter as the same person under another identity (%s) is refused with SelfApprovalError', async (_how, startedBy, approver) => {
      const approval = await openApproval({ startedBy, approvers: [ALICE, approver, CAROL] });
      await expectRefused(approval, SelfApprovalError, () => recordDecision(store.deps, decision(approval, approver)));
    });

    it('a different person whose name merely ends alike is not the starter', async () => {
      const approval = await openApproval({ startedBy: 'arn:aws:sts::123456789012:assumed-role/Operator/rob@example.com' });
      expect((await recordDecision(store.deps, decision(approval, BOB))).outcome).toBe('approved');
    });

    it('the starter may decide when preventSelfApproval is false', async () => {
      const approval = await openApproval({ preventSelfApproval: false });
      expect((await recordDecision(store.deps, decision(approval, BOB))).outcome).toBe('approved');
    });

    it('a replayed decision is refused with AlreadyDecidedError, even after the approval closed', async () => {
      const approval = await openApproval();
      await recordDecision(store.deps, decision(approval, ALICE));
      await expectRefused(approval, AlreadyDecidedError, () => recordDecision(store.deps, decision(approval, ALICE, 'reject')));
    });
  });

  it('audits every decision and every refusal with approver, comment, time, source IP and user agent', async () => {
    const approval = await openApproval({ quorum: 2 });
    await recordDecision(store.deps, decision(approval, ALICE));
    await expect(recordDecision(store.deps, decision(approval, 'mallory@example.com'))).rejects.toBeInstanceOf(NotAnApproverError);
    const at = new Date(store.deps.clock.nowMs()).toISOString();
    const [, recorded, refused] = await listAudit(store.deps, approval.runId);
    expect(recorded).toMatchObject({
      type: 'ApprovalDecisionRecorded',
      actor: ALICE,
      at,
      detail: { approvalId: approval.approvalId, approver: ALICE, decision: 'approve', comment: `approve by ${ALICE}`, sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)', status: 'OPEN' },
    });
    expect(refused).toMatchObject({
      type: 'ApprovalDecisionRefused',
      actor: 'mallory@example.com',
      at,
      detail: { approver: 'mallory@example.com', comment: 'approve by mallory@example.com', sourceIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)', refusal: 'NotAnApproverError' },
    });
  });

  it('a quorum of 2 of 3: one approval waits, the same approver twice counts once, a second approver releases it', async () => {
    const approval = await openApproval({ quorum: 2 });
    expect((await recordDecision(store.deps, decision(approval, ALICE))).outcome).toBe('pending');
    await expect(recordDecision(store.deps, decision(approval, ALICE))).rejects.toBeInstanceOf(AlreadyDecidedError);
    expect((await stored(approval))?.status).toBe('OPEN');
    expect(await recordDecision(store.deps, decision(approval, CAROL))).toEqual({ outcome: 'approved', taskToken: TOKEN, approvedBy: [ALICE, CAROL], quorum: 2 });
  });

  it('a quorum counts persons: one person listed under two identities (past the spec) approving twice does not release a quorum of 2', async () => {
    const aliceSso = 'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_y/alice@example.com';
    const approval = await openApproval({ quorum: 2, approvers: [ALICE, aliceSso, CAROL] });
    expect((await recordDecision(store.deps, decision(approval, ALICE))).outcome).toBe('pending');
    expect((await recordDecision(store.deps, decision(approval, aliceSso))).outcome).toBe('pending');
    expect((await stored(approval))?.status).toBe('OPEN');
    expect((await recordDecision(store.deps, decision(approval, CAROL))).outcome).toBe('approved');
  });

  it('two concurrent POSTs of one approver record one decision and refuse the other', async () => {
    const approval = await openApproval({ quorum: 2 });
    const results = await Promise.allSettled([recordDecision(store.deps, decision(approval, ALICE)), recordDecision(store.deps, decision(approval, ALICE))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(AlreadyDecidedError);
    expect(await stored(approval)).toMatchObject({ status: 'OPEN', version: 1 });
    expect((await auditTypes(approval.runId)).filter((t) => t === 'ApprovalDecisionRecorded')).toHaveLength(1);
  });

  it('two approvers deciding at once both count: exactly one of them releases a quorum of 2', async () => {
    const approval = await openApproval({ quorum: 2 });
    const outcomes = await Promise.all([recordDecision(store.deps, decision(approval, ALICE)), recordDecision(store.deps, decision(approval, CAROL))]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['approved', 'pending']);
    expect(await stored(approval)).toMatchObject({ status: 'APPROVED', version: 2 });
  });

  describe('readApprovalForPage', () => {
    it('gives the page the approval, its quorum and the decisions so far, never the token', async () => {
      const approval = await openApproval({ quorum: 2 });
      await recordDecision(store.deps, decision(approval, ALICE));
      const page = await readApprovalForPage(store.deps, approval);
      expect(page).toMatchObject({
        runId: approval.runId,
        approvalId: approval.approvalId,
        stage: 'canary',
        status: 'OPEN',
        approvers: [ALICE, BOB, CAROL],
        quorum: 2,
        approvedBy: [ALICE],
        expired: false,
        startedBy: BOB,
        preventSelfApproval: true,
        decisions: [{ approver: ALICE, decision: 'approve', comment: `approve by ${ALICE}`, at: new Date(store.deps.clock.nowMs()).toISOString() }],
      });
      expect(JSON.stringify(page)).not.toContain(TOKEN);
    });

    it('says an OPEN approval past its expiry is expired', async () => {
      const approval = await openApproval();
      store.deps.clock.advance(HOUR_MS);
      expect((await readApprovalForPage(store.deps, approval)).expired).toBe(true);
    });

    it('refuses an approval that does not exist with ApprovalNotFoundError', async () => {
      await expect(readApprovalForPage(store.deps, { runId: 'nobody', approvalId: newApprovalId() })).rejects.toBeInstanceOf(ApprovalNotFoundError);
    });
  });
});

describe.each(dynamoTargets().slice(0, 1))('the approval id index and the run\'s approvals on %s', (target) => {
  const env = useEmulators(target);
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(env());
  });
  const request = (runId: string): ApprovalRequest => ({
    runId, stage: 'canary', approvalId: newApprovalId(), taskToken: TOKEN, approvers: [ALICE], quorum: 1,
    expiresAt: new Date(store.deps.clock.nowMs() + HOUR_MS).toISOString(), startedBy: BOB, preventSelfApproval: true,
  });

  it('requestApproval indexes the id, so the page finds the run from the id alone; an unknown id has no run', async () => {
    const approval = request('index-run-1');
    await requestApproval(store.deps, approval);
    expect(await runOfApproval(store.deps, approval.approvalId)).toBe('index-run-1');
    expect(await runOfApproval(store.deps, newApprovalId())).toBeUndefined();
  });

  it('indexApproval refuses an id indexed for another run, and is a no-op for the same run', async () => {
    const approvalId = newApprovalId();
    await indexApproval(store.deps, { approvalId, runId: 'index-run-2' });
    await indexApproval(store.deps, { approvalId, runId: 'index-run-2' });
    await expect(indexApproval(store.deps, { approvalId, runId: 'index-run-3' })).rejects.toBeInstanceOf(ApprovalExistsError);
    expect(await runOfApproval(store.deps, approvalId)).toBe('index-run-2');
  });

  it('listApprovals lists a run\'s approvals oldest first, without their task tokens', async () => {
    const first = request('list-run');
    await requestApproval(store.deps, first);
    store.deps.clock.advance(1000);
    const second = request('list-run');
    await requestApproval(store.deps, { ...second, stage: 'wave-1' });
    const listed = await listApprovals(store.deps, 'list-run');
    expect(listed.map((a) => [a.approvalId, a.stage, a.status])).toEqual([[first.approvalId, 'canary', 'OPEN'], [second.approvalId, 'wave-1', 'OPEN']]);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
  });
});

describe('DecisionRequestSchema', () => {
  const valid = { runId: 'r1', approvalId: 'a', approver: ALICE, decision: 'approve', comment: '', sourceIp: '127.0.0.1', userAgent: 'curl' };
  it('accepts a decision and refuses anything but approve or reject', () => {
    expect(DecisionRequestSchema.parse(valid)).toEqual(valid);
    expect(DecisionRequestSchema.safeParse({ ...valid, decision: 'maybe' }).success).toBe(false);
  });
  it('refuses a comment longer than MAX_COMMENT_LENGTH, saying so', () => {
    const result = DecisionRequestSchema.safeParse({ ...valid, comment: 'x'.repeat(MAX_COMMENT_LENGTH + 1) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`comment must be at most ${MAX_COMMENT_LENGTH} characters; shorten it`);
  });
});
