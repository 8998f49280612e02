import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DEMO_TARGET_TABLE } from '../../infra/definitions';
import { getRun, startOrResumeRun } from '../../lambdas/lib/ledger';
import { parseSpec, specHash } from '../../lambdas/lib/spec';
import { exampleSpecInput } from '../lambdas/fixtures/specs';
import { dynamoTargets } from './dynamoTargets';
import { useEmulators } from './emulators';
import { createTestStore } from './testStore';

describe.each(dynamoTargets())('createTestStore on %s', (target) => {
  const env = useEmulators(target);

  it('gives deps over a ledger and an artifacts bucket of its own: a run in one store is not in another', async () => {
    // GIVEN two stores on the same emulators
    const [first, second] = await Promise.all([createTestStore(env()), createTestStore(env())]);
    expect(first.deps.ledgerTable).not.toBe(second.deps.ledgerTable);
    expect(first.deps.artifactsBucket).not.toBe(second.deps.artifactsBucket);
    // WHEN a run starts in the first
    const spec = parseSpec(exampleSpecInput());
    await startOrResumeRun(first.deps, { runId: 'r1', spec, specHash: specHash(spec) });
    // THEN only the first ledger holds it
    expect(await getRun(first.deps, 'r1')).toMatchObject({ runId: 'r1', status: 'RUNNING' });
    expect(await getRun(second.deps, 'r1')).toBeUndefined();
  });

  it('creates tables and buckets, and round-trips text, whole or by byte range', async () => {
    const store = await createTestStore(env());
    const table = await store.createTable(DEMO_TARGET_TABLE);
    expect((await store.clients.ddb.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus).toBe('ACTIVE');
    const bucket = await store.createBucket();
    await store.putText(bucket, 'a/b.jsonl', 'héllo\nworld\n');
    expect(await store.getText(bucket, 'a/b.jsonl')).toBe('héllo\nworld\n');
    expect(await store.getText(bucket, 'a/b.jsonl', 'bytes=7-11')).toBe('world');
  });
});
