import { createHash } from 'node:crypto';
import { readSnapshot, SnapshotIntegrityError, SnapshotLineSchema } from '../../../../lambdas/lib/worker';
import { createTestStore, useEmulators, type TestStore } from '../../../support';

describe('readSnapshot', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  beforeAll(async () => { store = await createTestStore(env()); });

  /** Stores `lines` as a snapshot object and returns its reference, as the ledger would record it. */
  const stored = async (name: string, lines: readonly unknown[]) => {
    const body = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const key = `snapshots/r1/${name}/attempt-1.jsonl`;
    await store.putText(store.deps.artifactsBucket, key, body);
    return { key, sha256: createHash('sha256').update(body).digest('hex'), itemCount: lines.length };
  };
  const read = async (name: string, lines: readonly unknown[]) => readSnapshot(store.clients.s3, store.deps.artifactsBucket, { runId: 'r1', batchId: name }, await stored(name, lines));

  it('reads what the schema accepts, as the schema reads it (a snapshot from before `intended` gets null)', async () => {
    const lines = [
      { key: { id: 'a' }, preImage: null, intended: { id: 'a', n: 1 } },
      { key: { id: 'b' }, preImage: { id: 'b', n: [1, { x: null }] }, intended: null },
      { key: { id: 'c' }, preImage: { id: 'c' } },
    ];
    expect(await read('b0000001', lines)).toEqual(lines.map((line) => SnapshotLineSchema.parse(line)));
  });

  it.each([
    ['an unknown field', { key: { id: 'a' }, preImage: null, intended: null, extra: 1 }],
    ['a key that is a list', { key: ['a'], preImage: null, intended: null }],
    ['no preImage', { key: { id: 'a' }, intended: null }],
    ['an intended image that is text', { key: { id: 'a' }, preImage: null, intended: 'x' }],
    ['a line that is a list', [1]],
  ])('refuses a line with %s, naming it as the schema does', async (_what, line) => {
    const error = await read('b0000002', [{ key: { id: 'z' }, preImage: null, intended: null }, line]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotIntegrityError);
    expect((error as Error).message).toContain('line 2: ');
    expect(SnapshotLineSchema.safeParse(line).success).toBe(false);
  });
});
