import { EvidenceUnreadableError, readStageEvidence, renderEvidenceHtml, StageEvidenceSchema } from '../../../../lambdas/lib/evidence';
import { createTestStore, useEmulators, type TestStore } from '../../../support';
import { stageEvidence } from './stageEvidenceFixture';

const HOSTILE = '<script>alert("x")</script>';

describe('renderEvidenceHtml', () => {
  it('renders a hostile record value, key and rule message as text, never as markup', () => {
    // GIVEN evidence whose samples carry a <script> from the data
    const evidence = stageEvidence({
      passed: false,
      failures: [`rule broke on ${HOSTILE}`],
      rules: {
        transform: 'order-summary@2', items: 1, violations: 1, passed: false,
        rules: [{ name: 'currency-iso-4217', description: 'currency is ISO 4217', attribute: 'currency', checked: 1, violations: 1, samples: [{ key: { orderId: HOSTILE }, value: HOSTILE, message: `currency ${HOSTILE} is not ISO` }] }],
      },
      diff: { items: 1, created: 0, updated: 1, unchanged: 0, attributes: [{ attribute: 'note', items: 1, added: 0, removed: 0, changed: 1, samples: [{ key: { orderId: 'o1' }, before: 'ok', after: HOSTILE }] }] },
    });
    // WHEN it is rendered
    const html = renderEvidenceHtml(evidence);
    // THEN no script element and no event handler exist, and the value shows escaped
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Stage canary — <strong class="fail">FAILED</strong>');
  });

  it('shows the golden check and the forecast with their figures', () => {
    const prices = stageEvidence().forecast.prices;
    const html = renderEvidenceHtml(stageEvidence({
      golden: { uri: 's3://qa/golden.jsonl', golden: 3, matched: 1, mismatched: 1, missing: 1, notGolden: 0, passed: false,
        mismatches: [{ key: { orderId: 'o2' }, line: 2, changes: [{ path: 'totalCents', kind: 'changed', before: 1, after: 299 }] }], missingKeys: [{ key: { orderId: 'o9' }, line: 3 }] },
      forecast: { status: 'forecast', scale: 9, remaining: { batches: 9, records: 18 }, time: { recordsPerSecond: 20, ms: 900, seconds: 1 }, lines: [], totalUsd: 0.0123, prices, notCounted: ['data transfer'] },
    }));
    expect(html).toContain('s3://qa/golden.jsonl: 3 golden items, 1 matched, 1 differ, 1 not produced by this stage (other stages may).');
    expect(html).toContain('<td>{&quot;orderId&quot;:&quot;o2&quot;}</td><td>2</td><td>totalCents: 1 → 299</td>');
    expect(html).toContain('Remaining: 9 batch(es), 18 records; about 1 s at 20 records/s; about <strong>$0.0123</strong>');
    expect(html).toContain('Not counted: data transfer.');
  });

  it('says which of the stage\'s batches the forecast time was measured from, and keeps it through the schema', () => {
    const prices = stageEvidence().forecast.prices;
    const evidence = stageEvidence({
      forecast: { status: 'forecast', scale: 9, remaining: { batches: 9, records: 18 }, time: { recordsPerSecond: 20, ms: 900, seconds: 1, basis: 'warm-batch-median', basisBatches: 2 }, lines: [], totalUsd: 0.0123, prices, notCounted: [] },
    });
    expect(StageEvidenceSchema.parse(evidence).forecast).toMatchObject({ time: { basis: 'warm-batch-median', basisBatches: 2 } });
    expect(renderEvidenceHtml(evidence)).toContain('about 1 s at 20 records/s (the median of 2 warm batch(es), those started after the first call ended); about');
  });

  it('shows every section with its verdict', () => {
    const html = renderEvidenceHtml(stageEvidence());
    for (const id of ['counts', 'determinism', 'rules', 'diff', 'forecast']) expect(html).toContain(`id="evidence-${id}"`);
    expect(html).toContain('Changed 50% of the items produced (1 of 2), no band set.');
  });
});

describe('readStageEvidence', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  beforeAll(async () => { store = await createTestStore(env()); });

  it('reads back what was written', async () => {
    const evidence = stageEvidence();
    await store.putText(store.deps.artifactsBucket, 'evidence/r1/canary.json', JSON.stringify(evidence));
    await expect(readStageEvidence(store.clients.s3, store.deps.artifactsBucket, 'evidence/r1/canary.json')).resolves.toEqual(StageEvidenceSchema.parse(evidence));
  });

  it('refuses a missing object, non-JSON and an object that is not evidence, naming the key', async () => {
    const bucket = store.deps.artifactsBucket;
    await store.putText(bucket, 'evidence/r1/bad.json', '{oops');
    await store.putText(bucket, 'evidence/r1/other.json', JSON.stringify({ ...stageEvidence(), version: 2 }));
    const read = (key: string) => readStageEvidence(store.clients.s3, bucket, key);
    await expect(read('evidence/r1/none.json')).rejects.toThrow(EvidenceUnreadableError);
    await expect(read('evidence/r1/none.json')).rejects.toThrow(`the stage evidence s3://${bucket}/evidence/r1/none.json cannot be read: no such object`);
    await expect(read('evidence/r1/bad.json')).rejects.toThrow(/cannot be read: not JSON/);
    await expect(read('evidence/r1/other.json')).rejects.toThrow(/not stage evidence \(version: /);
  });
});
