import { quarantineKey } from '../../../../lambdas/lib/artifacts';
import { processBatch } from '../../../../lambdas/lib/worker';
import { sourceLine } from '../../support/doubler';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture } from '../../support/fixture';

/**
 * Ten lines in batches of 4 records: b0000000 = lines 1–4, b0000001 = lines 5–9 (line 6 is blank),
 * b0000002 = line 10.
 */
const LINES = [
  sourceLine('item-0001', 2, 1),
  sourceLine('item-0002', 2, 2),
  '{"id": "item-0003", "version": 2,',
  sourceLine('item-0004', 2, 4),
  sourceLine('item-0005', 2, 5),
  '',
  '{"id": "item-0007", "version": 2, "n": "seven"}',
  sourceLine('item-0008', 2, 8),
  '{"id": "item-0009", "version": 0, "n": 9, "extra": true}',
  sourceLine('item-0010', 2, 10),
];

/** Invariant 8 (source records): malformed lines are quarantined with their line and reason, counted, and the rest proceeds. */
describe.each(dynamoTargets())('malformed source records on %s', (target) => {
  const env = useEmulators(target);

  it('quarantines bad JSON and schema violations with line number and reason, counts them, and processes the rest', async () => {
    const f = await createFixture(env(), { batchSize: 4 });
    const items = await f.plan(LINES);
    expect(items.map((i) => [i.batchId, i.firstLine, i.records])).toEqual([
      ['b0000000', 1, 4],
      ['b0000001', 5, 4],
      ['b0000002', 10, 1],
    ]);

    const outcomes = [];
    for (const item of items) outcomes.push(await processBatch(f.deps, f.ctx('attempt-a'), item));

    // THEN each batch counts its malformed lines and still writes its good ones
    expect(outcomes.map((o) => o.counts)).toEqual([
      { read: 4, malformed: 1, produced: 3, written: 3, created: 3, unchanged: 0, skippedNewer: 0, skippedChanged: 0 },
      { read: 4, malformed: 2, produced: 2, written: 2, created: 2, unchanged: 0, skippedNewer: 0, skippedChanged: 0 },
      { read: 1, malformed: 0, produced: 1, written: 1, created: 1, unchanged: 0, skippedNewer: 0, skippedChanged: 0 },
    ]);
    expect((await f.dumpTarget()).match(/"id":"item-\d+"/g)).toEqual(['item-0001', 'item-0002', 'item-0004', 'item-0005', 'item-0008', 'item-0010'].map((id) => `"id":"${id}"`));

    // AND the malformed lines are in the quarantine, with their absolute line numbers and reasons
    const source = `s3://${f.sourceBucket}/records/part-0001.jsonl`;
    const quarantined = async (batchId: string) =>
      (await f.readArtifact(quarantineKey({ runId: f.runId, batchId })))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { source: string; line: number; reason: string; raw: string });
    expect(await quarantined('b0000000')).toEqual([{ source, line: 3, reason: expect.stringMatching(/^not valid JSON/), raw: LINES[2] }]);
    const second = await quarantined('b0000001');
    expect(second).toEqual([
      { source, line: 7, reason: expect.stringContaining('n:'), raw: LINES[6] },
      { source, line: 9, reason: expect.stringMatching(/version: .*extra|extra.*version/s), raw: LINES[8] },
    ]);
    expect(second[0]!.reason).toMatch(/^does not match doubler@1 input/);

    // AND the batch records point at their quarantine; a clean batch has none
    expect((await f.batch('b0000000'))?.quarantineKey).toBe(quarantineKey({ runId: f.runId, batchId: 'b0000000' }));
    expect((await f.batch('b0000001'))?.quarantineKey).toBe(quarantineKey({ runId: f.runId, batchId: 'b0000001' }));
    expect((await f.batch('b0000002'))?.quarantineKey).toBeUndefined();
    expect(await f.listArtifacts(`quarantine/${f.runId}/`)).toEqual([quarantineKey({ runId: f.runId, batchId: 'b0000000' }), quarantineKey({ runId: f.runId, batchId: 'b0000001' })]);
  });
});
