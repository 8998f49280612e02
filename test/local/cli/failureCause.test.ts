import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli } from './runCli';

jest.setTimeout(180_000);

describe('the local CLI names the cause of failed batches', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-cause-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a spec whose partitionKey is not the demo table\'s key fails naming TargetSchemaMismatchError, the spec field and the failed batches', async () => {
    // GIVEN the demo table (key orderId) and a spec that says its key is customerId
    const specFile = join(work, 'wrong-key.json');
    const target = { tableName: 'order-summaries', partitionKey: 'customerId', versionAttribute: 'version' };
    // (onFailure "stop": failures past the tolerance end the run; the default "pause" would wait for an operator)
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, target, batchSize: 100, maxConcurrency: 2, onFailure: 'stop' }));
    // WHEN the CLI runs it over 1,000 demo records (12 batches: the demo writes several objects)
    const result = await runCli(['--records', '1000', '--spec', specFile, '--run-id', 'wrong-key']);
    // THEN it exits 1 and the message names each failed batch with its error, not only the Map's threshold
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Run wrong-key FAILED with RunStoppedByPolicy');
    expect(result.stderr).toContain('States.ExceedToleratedFailureThreshold');
    expect(result.stderr).toMatch(/b000000\d: TargetSchemaMismatchError: /);
    expect(result.stderr).toContain('ValidationException');
    expect(result.stderr).toContain('spec.target.partitionKey "customerId"');
    expect(result.stderr).toMatch(/\d+ of 12 planned batches failed/);
    // AND it says how to go on
    expect(result.stderr).toContain('Without --data-dir nothing was kept: fix the cause and run it again');
  });

  it('a run that ends SUCCEEDED_WITH_FAILURES lists its first failed batches with their errors in the report', async () => {
    // GIVEN the same wrong key, with every failure tolerated
    const specFile = join(work, 'tolerated.json');
    const target = { tableName: 'order-summaries', partitionKey: 'customerId', versionAttribute: 'version' };
    writeFileSync(specFile, JSON.stringify({ ...EXAMPLE_SPEC, target, batchSize: 100, maxConcurrency: 2, toleratedFailurePercent: 100 }));
    // WHEN the CLI runs it
    const result = await runCli(['--records', '1000', '--spec', specFile, '--run-id', 'tolerated']);
    // THEN the report names the first five failed batches with their errors, and counts the rest
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Run tolerated: SUCCEEDED_WITH_FAILURES');
    expect(result.stdout).toMatch(/failed batches {3}12 \(b0000000, /);
    for (const id of ['b0000000', 'b0000001', 'b0000002', 'b0000003', 'b0000004']) expect(result.stdout).toContain(`\n                   ${id}: TargetSchemaMismatchError: Batch ${id}: DynamoDB refused the keys`);
    expect(result.stdout).toContain("and 7 more (each batch's error is on its ledger record)");
  });
});
