import { formatStatus } from '../../cli/runs/formatProgress';
import type { RunProgress } from '../../cli/runs/runProgress';
import { expireApproval, newApprovalId, recordDecision, requestApproval, startOrResumeRun } from '../../lambdas/lib/ledger';
import { SpecSchema, specHash } from '../../lambdas/lib/spec';
import type { LocalEnvironment } from '../../local/runtime/LocalEnvironment';
import { exampleSpec, seededEnvironment } from '../local/runtime/localRun';
import { localCloudDir, runBackfill } from './support/cliHarness';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const TOKEN = 'task-token-SECRET-never-shown';

// GIVEN a run on real emulators with two approvals: the canary's, decided (alice approved, bob
// rejected with a comment), and a wave's, expired. The command reads the ledger only.
describe('backfill approvals RUN', () => {
  let env: LocalEnvironment;
  let dir: string;
  const runId = 'cli-approvals-1';
  const canaryId = newApprovalId();
  const waveId = newApprovalId();
  beforeAll(async () => {
    ({ env } = await seededEnvironment(10));
    const spec = SpecSchema.parse(exampleSpec());
    await startOrResumeRun(env.deps, { runId, spec, specHash: specHash(spec), startedBy: 'local:carol' });
    const request = { runId, taskToken: TOKEN, approvers: [ALICE, BOB], quorum: 2, expiresAt: '2030-01-01T00:00:00.000Z', startedBy: 'local:carol', preventSelfApproval: true };
    await requestApproval(env.deps, { ...request, stage: 'canary', approvalId: canaryId });
    const decide = (approver: string, decision: 'approve' | 'reject', comment: string) =>
      recordDecision(env.deps, { runId, approvalId: canaryId, approver, decision, comment, sourceIp: '203.0.113.7', userAgent: 'test' });
    await decide(ALICE, 'approve', '');
    await decide(BOB, 'reject', 'totals are off by 100x');
    await requestApproval(env.deps, { ...request, stage: 'wave-1', approvalId: waveId });
    await expireApproval(env.deps, { runId, approvalId: waveId, reason: 'States.Timeout: no decision within spec.approval.timeoutSeconds (3600 s)' });
    dir = localCloudDir({ dynamodb: env.dynamodbEndpoint, s3: env.s3Endpoint, stepfunctions: 'http://127.0.0.1:1' });
  });
  afterAll(() => env.close());

  it('--json lists each approval with its stage, status, approvers, quorum and decisions (who, what, when, comment), never the token', async () => {
    const result = await runBackfill(['approvals', runId, '--local', dir, '--json']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.stdout).not.toContain('203.0.113.7');
    const approvals = JSON.parse(result.stdout) as unknown[];
    expect(approvals).toEqual([
      expect.objectContaining({
        approvalId: canaryId,
        stage: 'canary',
        status: 'REJECTED',
        approvers: [ALICE, BOB],
        quorum: 2,
        approvedBy: [ALICE],
        decisions: [
          { approver: ALICE, decision: 'approve', comment: '', at: expect.any(String) },
          { approver: BOB, decision: 'reject', comment: 'totals are off by 100x', at: expect.any(String) },
        ],
      }),
      expect.objectContaining({ approvalId: waveId, stage: 'wave-1', status: 'EXPIRED', expiredReason: 'States.Timeout: no decision within spec.approval.timeoutSeconds (3600 s)', decisions: [] }),
    ]);
    expect(Object.keys(approvals[0] as object)).not.toContain('taskToken');
  });

  it('prints them for people: one block per approval, one line per decision', async () => {
    const result = await runBackfill(['approvals', runId, '--local', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(TOKEN);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`Approvals of run ${runId}`);
    expect(lines[1]).toBe(`canary  REJECTED  approved by 1 of quorum 2  (approvers: ${ALICE}, ${BOB})`);
    expect(lines[2]).toMatch(new RegExp(`^  approval ${canaryId}: requested \\S+Z, expires 2030-01-01T00:00:00.000Z, closed \\S+Z$`));
    expect(lines[3]).toMatch(new RegExp(`^  \\S+Z  approve  ${ALICE}$`));
    expect(lines[4]).toMatch(new RegExp(`^  \\S+Z  reject   ${BOB}  "totals are off by 100x"$`));
    expect(lines[5]).toBe(`wave-1  EXPIRED  approved by 0 of quorum 2  (approvers: ${ALICE}, ${BOB})`);
    expect(lines.slice(7)).toEqual(['  expired: States.Timeout: no decision within spec.approval.timeoutSeconds (3600 s)', '  no decision yet']);
  });

  it('says when a run has no approvals, and exits 2 for an unknown run', async () => {
    const spec = SpecSchema.parse(exampleSpec());
    await startOrResumeRun(env.deps, { runId: 'cli-approvals-none', spec, specHash: specHash(spec) });
    expect(await runBackfill(['approvals', 'cli-approvals-none', '--local', dir])).toMatchObject({
      code: 0,
      stdout: 'Run cli-approvals-none has no approvals (its spec names no approvers, or no stage has reached its approval yet)',
    });
    expect(await runBackfill(['approvals', 'no-such-run', '--local', dir])).toMatchObject({ code: 2, stderr: expect.stringContaining('no run no-such-run in the ledger') });
  });
});

describe('backfill status of a rejected run', () => {
  it('says at which stage, by whom and why it was rejected; or that it timed out', () => {
    const progress: RunProgress = {
      runId: 'r-1', status: 'REJECTED', batches: { done: 1, failed: 0, inProgress: 0, total: 4 }, records: { read: 250, written: 20, unchanged: 230, skipped: 0, malformed: 0, total: 1000 },
      failures: [], codeVersion: 'test', transform: 'order-summary@2', createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:01:00.000Z', starts: 1,
      rejection: { stage: 'canary', outcome: 'rejected', by: ALICE, comment: 'totals are off', at: '2026-12-01T00:01:00.000Z' },
    };
    expect(formatStatus(progress).split('\n')).toContain(`  rejected         at stage canary by ${ALICE} at 2026-12-01T00:01:00.000Z: "totals are off"`);
    const timedOut = { ...progress, rejection: { stage: 'canary', outcome: 'timed-out' as const, at: '2026-12-02T00:00:00.000Z' } };
    expect(formatStatus(timedOut).split('\n')).toContain('  rejected         at stage canary at 2026-12-02T00:00:00.000Z: nobody decided in time (timeout means rejection)');
  });
});
