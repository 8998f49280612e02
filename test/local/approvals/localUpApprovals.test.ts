import { readdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { decideThroughLink } from '../../../local/approvals/decideThroughLink';
import { waitFor } from '../../support';
import { endpointsOf, startLocalUp } from '../cloud/localUpProcess';
import { stagedSpec } from './stagedRun';

jest.setTimeout(240_000);

describe('local up serves approvals', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'backfill-local-up-approvals-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints each approval link on stderr, keeps the message in DIR/outbox, and a decision on the page it serves releases the execution', async () => {
    // GIVEN local up on a new data dir, on ephemeral ports
    const cloud = startLocalUp(['--data-dir', dataDir, '--port', '0']);
    const sfnOf = (endpoint: string) => new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    try {
      const endpoints = await endpointsOf(cloud, dataDir);
      expect(endpoints.approvals).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const sfn = sfnOf(endpoints.stepfunctions);
      // WHEN a staged execution starts through the Step Functions API (as the backfill CLI or the AWS CLI would)
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: endpoints.resources.backfillStateMachineArn, name: 'local-up-staged', input: JSON.stringify({ ...stagedSpec(), runId: 'local-up-staged', startedBy: 'local:starter' }) }));
      // THEN its canary's approval link is printed on local up's stderr, on the page local up serves
      const link = await waitFor(() => /approval link \(demo-approver@example\.com\): (\S+)/.exec(cloud.stderrSoFar())?.[1], { describe: 'the approval link on stderr', timeoutMs: 180_000, intervalMs: 100 });
      expect(link.startsWith(`${endpoints.approvals}/approvals/`)).toBe(true);
      // AND the message is in the outbox, as published
      const [file, ...others] = readdirSync(join(dataDir, 'outbox'));
      expect(others).toEqual([]);
      expect(JSON.parse(readFileSync(join(dataDir, 'outbox', file!), 'utf8'))).toMatchObject({ MessageAttributes: { approver: { DataType: 'String', StringValue: 'demo-approver@example.com' } }, Message: expect.stringContaining(link) });
      // WHEN the approver approves through the page
      await decideThroughLink(link, { decision: 'approve', comment: 'ok', userAgent: 'test' });
      // THEN the execution goes on to SUCCEEDED
      const status = await waitFor(
        async () => {
          const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
          if (described.status !== 'RUNNING' && described.status !== 'SUCCEEDED') throw new Error(`execution ended ${described.status}: ${described.cause}`);
          return described.status === 'SUCCEEDED' && described.status;
        },
        { describe: 'the execution to succeed', timeoutMs: 180_000, intervalMs: 200 },
      );
      expect(status).toBe('SUCCEEDED');
      sfn.destroy();
    } finally {
      cloud.child.kill('SIGTERM');
      await cloud.done;
    }
  });
});
