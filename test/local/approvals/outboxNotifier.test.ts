import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import { OutboxWriteError } from '../../../local/approvals/errors';
import { outboxNotifier, type DeliveredApprovalMessage } from '../../../local/approvals/outboxNotifier';

const BASE = 'http://127.0.0.1:4573';
const messageTo = (approver: string, link: string): PublishCommandInput => ({
  TopicArn: 'arn:aws:sns:us-east-1:000000000000:backfill-approvals',
  Subject: 'Approve the canary of orders-backfill',
  Message: `Run orders-backfill waits for your decision.\n\nOpen ${link}\n\nThe link expires in 24 h.`,
  MessageAttributes: { approver: { DataType: 'String', StringValue: approver } },
});

describe('outboxNotifier', () => {
  const root = mkdtempSync(join(tmpdir(), 'backfill-outbox-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes each message whole as <time>-<seq>-<approver>.json holding the PublishCommandInput, and tells the approver and the link', async () => {
    // GIVEN an outbox in a new folder
    const directory = join(root, 'first', 'outbox');
    const delivered: DeliveredApprovalMessage[] = [];
    const notifier = outboxNotifier({ directory, pageBaseUrl: BASE, clock: new ManualClock(Date.UTC(2026, 11, 1, 13, 41, 28, 512)), onDelivered: (m) => delivered.push(m) });
    const aliceLink = `${BASE}/approvals/q3J0abc?approver=alice%40example.com&exp=1796212800&sig=AbC-_1`;
    // WHEN two messages are published
    await notifier.publish(messageTo('alice@example.com', aliceLink));
    await notifier.publish(messageTo('bob@example.com', `${BASE}/approvals/q3J0abc?approver=bob%40example.com&exp=1796212800&sig=XyZ`));
    // THEN each is one file, in order, nothing else in the folder (no temp files)
    expect(readdirSync(directory)).toEqual(['20261201T134128Z-000001-alice@example.com.json', '20261201T134128Z-000002-bob@example.com.json']);
    expect(JSON.parse(readFileSync(join(directory, '20261201T134128Z-000001-alice@example.com.json'), 'utf8'))).toEqual(messageTo('alice@example.com', aliceLink));
    // AND each delivery names its approver and the link found in the message
    expect(delivered).toEqual([
      { approver: 'alice@example.com', link: aliceLink, file: join(directory, '20261201T134128Z-000001-alice@example.com.json') },
      { approver: 'bob@example.com', link: `${BASE}/approvals/q3J0abc?approver=bob%40example.com&exp=1796212800&sig=XyZ`, file: join(directory, '20261201T134128Z-000002-bob@example.com.json') },
    ]);
  });

  it('continues the sequence after the files a process before left; keeps odd characters out of the file name', async () => {
    const directory = join(root, 'resumed');
    const before = outboxNotifier({ directory, pageBaseUrl: BASE, clock: new ManualClock(Date.UTC(2026, 11, 1)) });
    await before.publish(messageTo('alice@example.com', `${BASE}/approvals/a?x`));
    // WHEN another process's notifier publishes to the same outbox
    const after = outboxNotifier({ directory, pageBaseUrl: BASE, clock: new ManualClock(Date.UTC(2026, 11, 2)) });
    await after.publish(messageTo('../evil/name', `${BASE}/approvals/a?y`));
    expect(readdirSync(directory)).toEqual(['20261201T000000Z-000001-alice@example.com.json', '20261202T000000Z-000002-.._evil_name.json']);
  });

  it('a message naming no link on this page is still delivered, without a link', async () => {
    const delivered: DeliveredApprovalMessage[] = [];
    const notifier = outboxNotifier({ directory: join(root, 'nolink'), pageBaseUrl: BASE, clock: new ManualClock(), onDelivered: (m) => delivered.push(m) });
    await notifier.publish(messageTo('alice@example.com', 'https://elsewhere.example/approvals/x'));
    expect(delivered).toEqual([{ approver: 'alice@example.com', file: expect.stringMatching(/alice@example\.com\.json$/) }]);
  });

  it('an outbox that cannot be made rejects with OutboxWriteError naming the file', async () => {
    // GIVEN an outbox path below a regular file
    writeFileSync(join(root, 'a-file'), '');
    const notifier = outboxNotifier({ directory: join(root, 'a-file', 'outbox'), pageBaseUrl: BASE, clock: new ManualClock() });
    // THEN publishing rejects, as SNS would, naming where it tried to write
    const failure = notifier.publish(messageTo('alice@example.com', `${BASE}/approvals/a`));
    await expect(failure).rejects.toThrow(OutboxWriteError);
    await expect(failure).rejects.toThrow(`cannot write the approval message ${join(root, 'a-file', 'outbox')}`);
  });
});
