import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import { OperationsOutboxWriteError } from '../../../local/alarms/errors';
import { LOCAL_OPERATIONS_TOPIC_ARN, operationsMessageLine, operationsOutbox, type DeliveredOperationsMessage } from '../../../local/alarms/operationsOutbox';

describe('operationsOutbox (the local operations topic)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ops-outbox-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes each message whole to DIR/outbox/<time>-<seq>-operations.json and reports it for the stderr line', async () => {
    // GIVEN an outbox already holding an approval message and an earlier operations message
    const directory = join(tempDir(), 'outbox');
    const delivered: DeliveredOperationsMessage[] = [];
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0, 10));
    await operationsOutbox({ directory, clock }).publish({ TopicArn: LOCAL_OPERATIONS_TOPIC_ARN, Message: 'earlier' });
    writeFileSync(join(directory, '20261201T120000Z-000007-alice_example.com.json'), '{}');
    // WHEN a new outbox (a resumed process) publishes the breaker's message
    const outbox = operationsOutbox({ directory, clock, onDelivered: (m) => delivered.push(m) });
    await outbox.publish({ TopicArn: outbox.topicArn, Subject: 'Backfill breaker opened', Message: 'alarm local-breaker\nresume with ...' });
    // THEN it follows the earlier operations file, holds the PublishCommandInput, and was reported
    expect(readdirSync(directory).sort()).toEqual(['20261201T120000Z-000007-alice_example.com.json', '20261201T120010Z-000001-operations.json', '20261201T120010Z-000002-operations.json']);
    const file = join(directory, '20261201T120010Z-000002-operations.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:backfill-operations', Subject: 'Backfill breaker opened', Message: 'alarm local-breaker\nresume with ...' });
    expect(delivered).toEqual([{ subject: 'Backfill breaker opened', message: 'alarm local-breaker\nresume with ...', file }]);
    expect(operationsMessageLine(delivered[0]!)).toBe(`operations: Backfill breaker opened (${file})`);
    expect(operationsMessageLine({ message: 'first line\nsecond', file })).toBe(`operations: first line (${file})`);
  });

  it('an outbox it cannot write to: publish rejects with a named error naming the path, and writes nothing', async () => {
    // GIVEN an outbox path taken by a file (as root, permissions would not stop the write)
    const parent = tempDir();
    const directory = join(parent, 'outbox');
    writeFileSync(directory, 'not a folder');
    const outbox = operationsOutbox({ directory, clock: new ManualClock() });
    // WHEN a message is published
    const published = outbox.publish({ TopicArn: outbox.topicArn, Message: 'breaker opened' });
    // THEN it is refused by name, and nothing else is written
    await expect(published).rejects.toThrow(OperationsOutboxWriteError);
    await expect(published).rejects.toThrow(`cannot write the operations message ${directory}: `);
    expect(readdirSync(parent)).toEqual(['outbox']);
  });
});
