import { DescribeExecutionCommand, StartExecutionCommand, StopExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { getRun, listAudit, listStages } from '../../../lambdas/lib/ledger';
import type { RunReport } from '../../../lambdas/lib/run';
import { decideThroughLink } from '../../../local/approvals/decideThroughLink';
import { dumpTable } from '../../../local/runtime/dumpTable';
import { waitFor } from '../../support';
import { localCloudDir, runBackfill } from '../../cli/support/cliHarness';
import { approvalMessage, startStagedCloud, startStagedRun, stagedSpec, type StagedCloud } from '../approvals/stagedRun';

jest.setTimeout(300_000);

// GIVEN the local cloud (emulators, the local Step Functions API over the real ASL and handlers,
// the approval page on loopback, the outbox): every piece of the staged path is the real one.
describe('a staged run stopped while it waits for the canary\'s approval', () => {
  const clouds: StagedCloud[] = [];
  afterAll(() => Promise.all(clouds.map((c) => c.close())));
  const cloud = async () => {
    const staged = await startStagedCloud({ records: 1_000 });
    clouds.push(staged);
    return staged;
  };
  const ended = (staged: StagedCloud, executionArn: string): Promise<DescribeExecutionCommandOutput> =>
    waitFor(
      async () => {
        const described = await staged.sfn.send(new DescribeExecutionCommand({ executionArn }));
        return described.status === 'RUNNING' ? undefined : described;
      },
      { describe: `execution ${executionArn} to end`, timeoutMs: 120_000 },
    );
  const approve = (link: string) => decideThroughLink(link, { decision: 'approve', comment: 'canary looks right', userAgent: 'staged-resume-test' });
  const written = (report: RunReport) => {
    const { planHash, batches, records, counts, targetChecksum, status } = report;
    return { planHash, batches, records, counts, targetChecksum, status };
  };

  it('is resumed waiting for the same approval (the same link), and once approved ends identical to an uninterrupted run; backfill status shows where it waits and who approved', async () => {
    // GIVEN an uninterrupted staged run, approved through its link
    const reference = await cloud();
    const referenceArn = await startStagedRun(reference, stagedSpec(), 'staged-resume');
    await approve((await approvalMessage(reference, referenceArn)).link);
    const referenceEnd = await ended(reference, referenceArn);
    expect(referenceEnd.status).toBe('SUCCEEDED');

    // AND the same run on the same data, stopped while it waits for the canary's approval
    const staged = await cloud();
    const runId = 'staged-resume';
    const firstArn = await startStagedRun(staged, stagedSpec(), runId);
    const first = await approvalMessage(staged, firstArn);
    await staged.sfn.send(new StopExecutionCommand({ executionArn: firstArn, error: 'StoppedByOperator', cause: JSON.stringify({ actor: 'local:test', reason: 'lunch' }) }));
    expect((await ended(staged, firstArn)).status).toBe('ABORTED');
    await waitFor(async () => ((await getRun(staged.cloud.env.deps, runId))?.status === 'STOPPED' ? true : undefined), { describe: `run ${runId} STOPPED`, timeoutMs: 20_000 });
    expect((await listStages(staged.cloud.env.deps, runId)).map((s) => [s.name, s.status])).toEqual([['canary', 'AWAITING_APPROVAL']]);
    // AND backfill status says so: the canary waits for its approval, the waves are pending
    const { dynamodb, s3, stepfunctions } = staged.cloud.endpoints;
    const dir = localCloudDir({ dynamodb, s3, stepfunctions });
    const status = async () => JSON.parse((await runBackfill(['status', runId, '--local', dir, '--json'])).stdout) as { rollout: { current: unknown; stages: Array<{ name: string; status: string; decidedBy?: string[] }> } };
    const approvalId = (await listStages(staged.cloud.env.deps, runId))[0]!.approvalId;
    expect((await status()).rollout).toMatchObject({
      current: { name: 'canary', status: 'AWAITING_APPROVAL' },
      stages: [{ name: 'canary', status: 'AWAITING_APPROVAL', approvalId }, { name: 'wave-1', status: 'PENDING' }, { name: 'wave-2', status: 'PENDING' }],
    });

    // WHEN it is resumed (a new execution with its runId)
    const secondArn = (
      await staged.sfn.send(new StartExecutionCommand({ stateMachineArn: staged.cloud.endpoints.resources.backfillStateMachineArn, name: `${runId}-r2`, input: JSON.stringify({ ...stagedSpec(), runId, startedBy: 'local:starter' }) }))
    ).executionArn!;
    // THEN it waits again for the same approval: the approver gets the same link again
    const second = await approvalMessage(staged, secondArn, 2);
    expect(second.link).toBe(first.link);
    // AND once approved through it, the run ends identical to the uninterrupted one
    await approve(second.link);
    const end = await ended(staged, secondArn);
    expect(end.status).toBe('SUCCEEDED');
    expect(written(JSON.parse(end.output!) as RunReport)).toEqual(written(JSON.parse(referenceEnd.output!) as RunReport));
    expect(await dumpTable(staged.cloud.env.clients.ddb, LOCAL_NAMES.demoTargetTable)).toBe(await dumpTable(reference.cloud.env.clients.ddb, LOCAL_NAMES.demoTargetTable));
    // AND the canary was processed and validated once only, and passed by the approver
    const audit = await listAudit(staged.cloud.env.deps, runId);
    const ofCanary = (type: string) => audit.filter((e) => e.type === type && e.detail?.stage === 'canary').length;
    expect([ofCanary('StageStarted'), ofCanary('StageValidated'), ofCanary('StagePassed')]).toEqual([1, 1, 1]);
    expect((await listStages(staged.cloud.env.deps, runId))[0]).toMatchObject({ status: 'PASSED', decision: 'APPROVED', decidedBy: ['demo-approver@example.com'] });
    // AND backfill status shows every stage passed, the canary by who approved it
    const text = (await runBackfill(['status', runId, '--local', dir])).stdout;
    expect(text).toMatch(/\n {2}stages {11}canary {2}1 batch to [\d.]+%: PASSED, approved by demo-approver@example\.com\n/);
    expect((await status()).rollout.stages.map((s) => [s.name, s.status])).toEqual([['canary', 'PASSED'], ['wave-1', 'PASSED'], ['wave-2', 'PASSED']]);
  });
});
