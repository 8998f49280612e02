import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  beginStage,
  getRun,
  listAudit,
  listStages,
  markStageAwaitingApproval,
  markStagePassed,
  recordStageDecision,
  recordStageValidation,
  STAGE_STATUSES,
  STAGE_TRANSITIONS,
  StageTransitionError,
  startOrResumeRun,
  type StageRecord,
  type StageStatus,
} from '../../../../lambdas/lib/ledger';
import { runPk, stageSk } from '../../../../lambdas/lib/ledger/keys';
import { specHash } from '../../../../lambdas/lib/spec';
import type { PlannedStage } from '../../../../lambdas/lib/stages';
import { dynamoTargets } from '../../../support';
import { useFreshRunFixture, type Fixture } from '../../support/fixture';

type From = StageStatus | null;
const nameOf = (status: From): string => status ?? '(not begun)';

const CANARY: PlannedStage = { name: 'canary', kind: 'canary', index: 0, firstBatch: 0, batchCount: 2, cumulativePercent: 20, manifestKey: 'manifests/r/h-canary.jsonl' };
const WAVE: PlannedStage = { name: 'wave-1', kind: 'wave', index: 1, firstBatch: 2, batchCount: 8, cumulativePercent: 100, manifestKey: 'manifests/r/h-wave-1.jsonl' };
const APPROVAL_ID = 'A'.repeat(22);
const EVIDENCE = 'evidence/r/canary.json';

/** The stage moves, each as the caller makes it, with the statuses it moves from and the one it leaves. */
const MOVES = {
  begin: { to: 'RUNNING', call: (f: Fixture) => beginStage(f.deps, { runId: f.runId, stage: CANARY }) },
  pass: { to: 'VALIDATED', call: (f: Fixture) => recordStageValidation(f.deps, { runId: f.runId, stage: CANARY, passed: true, evidenceKey: EVIDENCE, failures: [] }) },
  fail: { to: 'GATE_FAILED', call: (f: Fixture) => recordStageValidation(f.deps, { runId: f.runId, stage: CANARY, passed: false, evidenceKey: EVIDENCE, failures: ['2 rule violations'] }) },
  awaitApproval: { to: 'AWAITING_APPROVAL', call: (f: Fixture) => markStageAwaitingApproval(f.deps, { runId: f.runId, stageName: 'canary', approvalId: APPROVAL_ID }) },
  passWithoutApproval: { to: 'PASSED', call: (f: Fixture) => markStagePassed(f.deps, { runId: f.runId, stageName: 'canary' }) },
  approve: { to: 'PASSED', call: (f: Fixture) => recordStageDecision(f.deps, { runId: f.runId, stageName: 'canary', outcome: 'APPROVED', by: ['alice@example.com'] }) },
  reject: { to: 'REJECTED', call: (f: Fixture) => recordStageDecision(f.deps, { runId: f.runId, stageName: 'canary', outcome: 'REJECTED', by: ['bob@example.com'] }) },
} as const satisfies Record<string, { to: StageStatus; call: (f: Fixture) => Promise<StageRecord> }>;
type MoveName = keyof typeof MOVES;

/** How each status is reached from no record. */
const PATH_TO: Record<StageStatus, MoveName[]> = {
  RUNNING: ['begin'],
  VALIDATED: ['begin', 'pass'],
  GATE_FAILED: ['begin', 'fail'],
  AWAITING_APPROVAL: ['begin', 'pass', 'awaitApproval'],
  PASSED: ['begin', 'pass', 'passWithoutApproval'],
  REJECTED: ['begin', 'pass', 'awaitApproval', 'reject'],
};

/** The move a row of STAGE_TRANSITIONS is made by. */
function moveOf(from: From, to: StageStatus): MoveName {
  if (to === 'PASSED') return from === 'AWAITING_APPROVAL' ? 'approve' : 'passWithoutApproval';
  return (Object.keys(MOVES) as MoveName[]).find((m) => MOVES[m].to === to && m !== 'approve' && m !== 'passWithoutApproval')!;
}

/** Audit type each move appends (none for awaiting approval: RequestApproval audits ApprovalRequested). */
const AUDIT_OF: Record<MoveName, string | undefined> = {
  begin: 'StageStarted', pass: 'StageValidated', fail: 'StageGateFailed', awaitApproval: undefined, passWithoutApproval: 'StagePassed', approve: 'StagePassed', reject: 'StageRejected',
};

/** Retrying a move that already happened (same inputs) returns the record unchanged. */
const NO_OP: ReadonlyArray<[MoveName, StageStatus]> = [
  ['pass', 'VALIDATED'],
  ['fail', 'GATE_FAILED'],
  ['passWithoutApproval', 'PASSED'],
  ['reject', 'REJECTED'],
];

const allowedRow = (move: MoveName, from: From) => STAGE_TRANSITIONS.some((t) => t.from === from && t.to === MOVES[move].to && moveOf(from, t.to) === move);
const REFUSED = (Object.keys(MOVES) as MoveName[]).flatMap((move) =>
  ([null, ...STAGE_STATUSES] as From[]).filter((from) => !allowedRow(move, from) && !NO_OP.some(([m, s]) => m === move && s === from)).map((from) => [move, nameOf(from), from] as const),
);

describe.each(dynamoTargets())('stage records on %s', (target) => {
  const fixture = useFreshRunFixture(target);
  let f: Fixture;
  beforeEach(async () => {
    f = fixture();
    await startOrResumeRun(f.deps, { runId: f.runId, spec: f.spec, specHash: specHash(f.spec) });
  });

  async function bringTo(status: From): Promise<void> {
    for (const move of status === null ? [] : PATH_TO[status]) await MOVES[move].call(f);
  }
  const rawStage = async () =>
    (await f.deps.clients.ddb.send(new GetCommand({ TableName: f.deps.ledgerTable, Key: { pk: runPk(f.runId), sk: stageSk(0, 'canary') }, ConsistentRead: true }))).Item;

  it('every move of the table is made by exactly one of the functions (so the tests below cover the table)', () => {
    expect(STAGE_TRANSITIONS.map((t) => moveOf(t.from, t.to)).every((m) => MOVES[m].to !== undefined)).toBe(true);
    expect(STAGE_TRANSITIONS.length).toBe(11);
  });

  it.each(STAGE_TRANSITIONS.map((t) => [nameOf(t.from), t.to, t] as const))('moves a stage %s → %s, keeps run.stage current and audits it', async (_from, to, row) => {
    // GIVEN a stage in `from`
    await bringTo(row.from);
    const auditBefore = (await listAudit(f.deps, f.runId)).length;
    f.clock.advance(1000);
    // WHEN the move of that row is made
    const move = moveOf(row.from, to);
    const record = await MOVES[move].call(f);
    // THEN the stage is `to`, and so is the run record's stage
    expect(record.status).toBe(to);
    expect((await listStages(f.deps, f.runId)).map((s) => [s.name, s.status])).toEqual([['canary', to]]);
    expect((await getRun(f.deps, f.runId))?.stage).toEqual({ name: 'canary', status: to });
    expect(record.updatedAt).toBe(new Date(f.clock.nowMs()).toISOString());
    // AND the move is audited (RequestApproval audits the request itself)
    const added = (await listAudit(f.deps, f.runId)).slice(auditBefore);
    const audited = AUDIT_OF[move];
    if (audited) expect(added).toEqual([expect.objectContaining({ type: audited, detail: expect.objectContaining({ stage: 'canary', index: 0, status: to }) })]);
    else expect(added).toEqual([]);
  });

  it.each(REFUSED)('refuses %s on a stage that is %s, naming from and to, and changes nothing', async (move, _name, from) => {
    await bringTo(from);
    const before = await rawStage();
    const runBefore = await getRun(f.deps, f.runId);
    const auditBefore = (await listAudit(f.deps, f.runId)).length;
    f.clock.advance(1000);
    const refusal = await MOVES[move].call(f).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StageTransitionError);
    expect(refusal).toMatchObject({ runId: f.runId, stageName: 'canary', from, to: MOVES[move].to });
    expect((refusal as Error).message).toContain(`Stage canary of run ${f.runId} is ${from ?? 'not begun'}; cannot move it to ${MOVES[move].to}`);
    expect(await rawStage()).toEqual(before);
    expect(await getRun(f.deps, f.runId)).toEqual(runBefore);
    expect((await listAudit(f.deps, f.runId)).length).toBe(auditBefore);
  });

  it.each(NO_OP)('a retried %s on a stage already %s changes nothing and audits nothing', async (move, status) => {
    await bringTo(status);
    const before = await rawStage();
    const auditBefore = (await listAudit(f.deps, f.runId)).length;
    f.clock.advance(1000);
    await expect(MOVES[move].call(f)).resolves.toMatchObject({ status });
    expect(await rawStage()).toEqual(before);
    expect((await listAudit(f.deps, f.runId)).length).toBe(auditBefore);
  });

  describe('resume', () => {
    it('re-entering a validated stage clears its earlier evidence, and its gate records again', async () => {
      await bringTo('GATE_FAILED');
      await expect(beginStage(f.deps, { runId: f.runId, stage: CANARY })).resolves.toMatchObject({ status: 'RUNNING' });
      const stage = (await listStages(f.deps, f.runId))[0]!;
      expect(stage).not.toHaveProperty('evidenceKey');
      expect(stage).not.toHaveProperty('failures');
      await expect(recordStageValidation(f.deps, { runId: f.runId, stage: CANARY, passed: true, evidenceKey: 'evidence/r/canary-2.json', failures: [] })).resolves.toMatchObject({ status: 'VALIDATED', evidenceKey: 'evidence/r/canary-2.json' });
    });

    it('a resumed run waits again for the same approval, but a stage waiting for one approval refuses another', async () => {
      await bringTo('AWAITING_APPROVAL');
      await expect(markStageAwaitingApproval(f.deps, { runId: f.runId, stageName: 'canary', approvalId: APPROVAL_ID })).resolves.toMatchObject({ status: 'AWAITING_APPROVAL', approvalId: APPROVAL_ID });
      const other = markStageAwaitingApproval(f.deps, { runId: f.runId, stageName: 'canary', approvalId: 'B'.repeat(22) });
      await expect(other).rejects.toThrow(StageTransitionError);
      expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ approvalId: APPROVAL_ID });
    });

    it('records who decided and the outcome', async () => {
      await bringTo('AWAITING_APPROVAL');
      await MOVES.approve.call(f);
      expect((await listStages(f.deps, f.runId))[0]).toMatchObject({ status: 'PASSED', decision: 'APPROVED', decidedBy: ['alice@example.com'], approvalId: APPROVAL_ID, evidenceKey: EVIDENCE });
    });

    it('lists a run\'s stages in stage order, and run.stage follows the latest move', async () => {
      await beginStage(f.deps, { runId: f.runId, stage: WAVE }); // written first on purpose
      await bringTo('PASSED');
      expect((await listStages(f.deps, f.runId)).map((s) => [s.index, s.name, s.status, s.batchCount])).toEqual([
        [0, 'canary', 'PASSED', 2],
        [1, 'wave-1', 'RUNNING', 8],
      ]);
      expect((await getRun(f.deps, f.runId))?.stage).toEqual({ name: 'canary', status: 'PASSED' });
    });
  });
});
