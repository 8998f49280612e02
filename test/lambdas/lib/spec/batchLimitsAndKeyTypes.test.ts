import { parseSpec } from '../../../../lambdas/lib/spec';
import { exampleSpecInput, specProblemsOf } from '../../fixtures/specs';


describe('spec: byte limits and key types', () => {
  it('defaults to 64 MiB per batch, 1 MiB per record and string keys', () => {
    const spec = parseSpec(exampleSpecInput());
    expect(spec).toMatchObject({ maxBatchBytes: 64 * 2 ** 20, maxRecordBytes: 2 ** 20 });
    expect(spec.target).toMatchObject({ partitionKeyType: 'S', sortKeyType: 'S' });
  });

  it('takes declared key types and limits within bounds', () => {
    const input = exampleSpecInput();
    const spec = parseSpec({ ...input, target: { ...(input.target as object), partitionKeyType: 'N' }, maxBatchBytes: 4_096, maxRecordBytes: 4_096 });
    expect(spec).toMatchObject({ maxBatchBytes: 4_096, maxRecordBytes: 4_096, target: { partitionKeyType: 'N' } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a batch limit below 1 KiB', { maxBatchBytes: 100 }, 'spec.maxBatchBytes: must be at least 1024, got number 100'],
    ['a batch limit above 256 MiB', { maxBatchBytes: 2 ** 30 }, 'spec.maxBatchBytes: must be at most 268435456, got number 1073741824'],
    ['a record limit below 16 bytes', { maxRecordBytes: 8 }, 'spec.maxRecordBytes: must be at least 16, got number 8'],
    ['a record limit above the batch limit', { maxBatchBytes: 4_096, maxRecordBytes: 8_192 }, 'spec.maxRecordBytes: must not be above maxBatchBytes (4096), got number 8192'],
  ])('refuses %s', (_, change, problem) => {
    expect(specProblemsOf({ ...exampleSpecInput(), ...change })).toEqual([problem]);
  });

  it('names a record limit above the batch limit together with every other bad field, not only once they are fixed', () => {
    // GIVEN a spec with three other bad fields (one a bad partition date) and maxRecordBytes > maxBatchBytes
    const input = exampleSpecInput();
    const problems = specProblemsOf({
      ...input,
      batchSize: 0,
      mode: 'fast',
      source: { ...(input.source as object), partitions: { from: '2024-13-01', to: '2024-03-31' } },
      maxBatchBytes: 2_048,
      maxRecordBytes: 4_096,
    });
    // THEN all four are named at once
    expect(problems.sort()).toEqual(
      [
        'spec.batchSize: must be at least 1, got number 0',
        'spec.mode: must be "apply" or "dry-run", got "fast"',
        'spec.source.partitions.from: is not a real calendar date, got "2024-13-01"',
        'spec.maxRecordBytes: must not be above maxBatchBytes (2048), got number 4096',
      ].sort(),
    );
  });

  it('names no order problem when one of the two limits is itself bad', () => {
    expect(specProblemsOf({ ...exampleSpecInput(), batchSize: 0, maxBatchBytes: 100, maxRecordBytes: 4_096 })).toEqual([
      'spec.batchSize: must be at least 1, got number 0',
      'spec.maxBatchBytes: must be at least 1024, got number 100',
    ]);
    expect(specProblemsOf({ ...exampleSpecInput(), maxBatchBytes: 2_048, maxRecordBytes: 'big' })).toEqual(['spec.maxRecordBytes: must be a whole number from 16 to 67108864, got "big"']);
  });

  it('refuses a key type that is not S, N or B, naming it', () => {
    const input = exampleSpecInput();
    expect(specProblemsOf({ ...input, target: { ...(input.target as object), sortKeyType: 'string' } })).toEqual(['spec.target.sortKeyType: must be "S" (string), "N" (number) or "B" (binary), got "string"']);
  });
});
