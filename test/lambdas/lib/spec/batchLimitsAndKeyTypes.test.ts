import { InvalidSpecError, parseSpec } from '../../../../lambdas/lib/spec';
import { exampleSpecInput } from '../../fixtures/specs';

const problemsOf = (input: Record<string, unknown>): string[] => {
  try {
    parseSpec(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return (error as InvalidSpecError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  return [];
};

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
    expect(problemsOf({ ...exampleSpecInput(), ...change })).toEqual([problem]);
  });

  it('refuses a key type that is not S, N or B, naming it', () => {
    const input = exampleSpecInput();
    expect(problemsOf({ ...input, target: { ...(input.target as object), sortKeyType: 'string' } })).toEqual(['spec.target.sortKeyType: must be "S" (string), "N" (number) or "B" (binary), got "string"']);
  });
});
