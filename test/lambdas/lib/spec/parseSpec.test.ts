import { InvalidSpecError, parseSpec, specHash, type SpecProblem } from '../../../../lambdas/lib/spec';
import { validateExecutionInput } from '../../../../lambdas/lib/spec/validateExecutionInput';
import { exampleSpecInput } from '../../fixtures/specs';

type Input = Record<string, unknown>;

/** The example spec with `change` applied to a fresh copy. */
function specWith(change: (spec: Input) => void): Input {
  const spec = exampleSpecInput() as Input;
  change(spec);
  return spec;
}

function invalidSpecErrorOf(run: () => unknown): InvalidSpecError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidSpecError);
  return thrown as InvalidSpecError;
}

const fieldsOf = (problems: readonly SpecProblem[]) => problems.map((p) => p.field);
const source = (spec: Input) => spec.source as Input;
const target = (spec: Input) => spec.target as Input;

describe('parseSpec', () => {
  describe('refuses a malformed spec with InvalidSpecError naming the field and the value seen', () => {
    // [case, input, the one bad field, text the message must show (the value seen)]
    const cases: Array<[string, unknown, string, string]> = [
      ['an array instead of an object', [], 'spec', 'got an array'],
      ['null instead of an object', null, 'spec', 'got null'],
      ['a string instead of an object', 'orders', 'spec', 'got "orders"'],
      ['a missing jobName', specWith((s) => delete s.jobName), 'spec.jobName', 'is required'],
      ['a jobName that is a number', specWith((s) => (s.jobName = 42)), 'spec.jobName', 'got number 42'],
      ['a jobName with spaces', specWith((s) => (s.jobName = 'fix orders')), 'spec.jobName', '"fix orders"'],
      ['a target table name too short', specWith((s) => (target(s).tableName = 'ab')), 'spec.target.tableName', '"ab"'],
      ['a target table name with a slash', specWith((s) => (target(s).tableName = 'orders/summaries')), 'spec.target.tableName', '"orders/summaries"'],
      ['a missing target partition key', specWith((s) => delete target(s).partitionKey), 'spec.target.partitionKey', 'is required'],
      ['a batchSize of 0', specWith((s) => (s.batchSize = 0)), 'spec.batchSize', 'got number 0'],
      ['a batchSize above 10000', specWith((s) => (s.batchSize = 10_001)), 'spec.batchSize', 'got number 10001'],
      ['a fractional batchSize', specWith((s) => (s.batchSize = 2.5)), 'spec.batchSize', 'got number 2.5'],
      ['a batchSize given as a string', specWith((s) => (s.batchSize = '500')), 'spec.batchSize', 'got "500"'],
      ['a negative maxConcurrency', specWith((s) => (s.maxConcurrency = -1)), 'spec.maxConcurrency', 'got number -1'],
      ['a toleratedFailurePercent above 100', specWith((s) => (s.toleratedFailurePercent = 101)), 'spec.toleratedFailurePercent', 'got number 101'],
      ['a leaseSeconds below 5', specWith((s) => (s.leaseSeconds = 1)), 'spec.leaseSeconds', 'got number 1'],
      ['an unknown top-level key', specWith((s) => (s.batchsize = 10)), 'spec.batchsize', 'not a known field'],
      ['an unknown key inside target', specWith((s) => (target(s).ttl = 'expiresAt')), 'spec.target.ttl', 'not a known field'],
      ['a wrong mode', specWith((s) => (s.mode = 'Apply')), 'spec.mode', 'got "Apply"'],
      ['a transform without a version', specWith((s) => (s.transform = 'order-summary')), 'spec.transform', 'got "order-summary"'],
      ['a transform with version 0', specWith((s) => (s.transform = 'order-summary@0')), 'spec.transform', 'got "order-summary@0"'],
      ['a source of another type', specWith((s) => (source(s).type = 'dynamodb')), 'spec.source.type', 'got "dynamodb"'],
      ['an uppercase source bucket', specWith((s) => (source(s).bucket = 'Orders')), 'spec.source.bucket', 'got "Orders"'],
      ['a missing source', specWith((s) => delete s.source), 'spec.source', 'is required'],
      ['a source bucket with two adjacent periods', specWith((s) => (source(s).bucket = 'a..b')), 'spec.source.bucket', 'must not contain two adjacent periods'],
      ['a source bucket in IP form', specWith((s) => (source(s).bucket = '192.168.5.4')), 'spec.source.bucket', 'must not be formatted as an IP address (S3 bucket names are 3–63 of a-z 0-9 . - and begin and end with a letter or digit), got "192.168.5.4"'],
      ['a source bucket of 2 characters', specWith((s) => (source(s).bucket = 'ab')), 'spec.source.bucket', 'must be 3–63 characters long, not 2'],
      ['a source bucket of 64 characters', specWith((s) => (source(s).bucket = 'a'.repeat(64))), 'spec.source.bucket', 'must be 3–63 characters long, not 64'],
      ['a source bucket beginning with a hyphen', specWith((s) => (source(s).bucket = '-orders')), 'spec.source.bucket', 'must begin and end with a letter or digit'],
      ['a source bucket ending with a period', specWith((s) => (source(s).bucket = 'orders.')), 'spec.source.bucket', 'must begin and end with a letter or digit'],
      ['a source bucket with an underscore', specWith((s) => (source(s).bucket = 'my_orders')), 'spec.source.bucket', 'may only contain a-z, 0-9, "." and "-"'],
      ['a source bucket with a hyphen next to a period', specWith((s) => (source(s).bucket = 'orders.-x')), 'spec.source.bucket', 'must not have a hyphen next to a period'],
      ['a source bucket with a reserved prefix', specWith((s) => (source(s).bucket = 'xn--orders')), 'spec.source.bucket', 'must not begin with "xn--"'],
      ['a source bucket with a reserved suffix', specWith((s) => (source(s).bucket = 'orders-s3alias')), 'spec.source.bucket', 'must not end with "-s3alias"'],
      ['a target table name of 256 characters', specWith((s) => (target(s).tableName = 't'.repeat(256))), 'spec.target.tableName', 'must be 3–255 characters long, not 256'],
      ['a target table name with a space', specWith((s) => (target(s).tableName = 'order summaries')), 'spec.target.tableName', 'may only contain A-Z a-z 0-9 _ - .'],
      ['an allowEmpty that is not a boolean', specWith((s) => (s.allowEmpty = 'yes')), 'spec.allowEmpty', 'must be true or false, got "yes"'],
      [
        'a partition date that is not a date',
        specWith((s) => (source(s).partitions = { from: 'yesterday', to: '2024-03-01' })),
        'spec.source.partitions.from',
        'got "yesterday"',
      ],
      [
        'a partition date that does not exist (2024-02-30)',
        specWith((s) => (source(s).partitions = { from: '2024-02-30', to: '2024-03-31' })),
        'spec.source.partitions.from',
        'got "2024-02-30"',
      ],
      [
        'a partition date in another format',
        specWith((s) => (source(s).partitions = { from: '2024-01-01', to: '2024/01/31' })),
        'spec.source.partitions.to',
        'got "2024/01/31"',
      ],
      [
        'a non-existent from date after to (only the date is reported, not the order)',
        specWith((s) => (source(s).partitions = { from: '2024-02-30', to: '2024-01-01' })),
        'spec.source.partitions.from',
        'got "2024-02-30"',
      ],
      [
        'a partition range without its end',
        specWith((s) => (source(s).partitions = { from: '2024-01-01' })),
        'spec.source.partitions.to',
        'is required',
      ],
      [
        'a partition range whose from is after its to',
        specWith((s) => (source(s).partitions = { from: '2024-03-02', to: '2024-03-01' })),
        'spec.source.partitions.to',
        'got "2024-03-01"',
      ],
    ];

    it.each(cases)('%s', (_case, input, field, seen) => {
      // WHEN the input is parsed
      const error = invalidSpecErrorOf(() => parseSpec(input));
      // THEN exactly that field is named, once, and the message shows what was wrong
      expect(error.name).toBe('InvalidSpecError');
      expect(fieldsOf(error.problems)).toEqual([field]);
      const line = error.message.split('\n').find((l) => l.startsWith(`  - ${field}: `));
      expect(line).toBeDefined();
      expect(line).toContain(seen);
    });
  });

  it('lists every bad field of a spec with several problems, one line each', () => {
    // GIVEN a spec with seven independent mistakes
    const input = specWith((s) => {
      s.jobName = '';
      s.batchSize = 0;
      s.mode = 'live';
      s.transform = 'Order Summary';
      s.extra = true;
      target(s).tableName = 'x';
      source(s).partitions = { from: '2024-02-30', to: '2024-13-01' };
    });
    // WHEN it is parsed
    const error = invalidSpecErrorOf(() => parseSpec(input));
    // THEN each is named, and nothing else
    const expected = [
      'spec.batchSize',
      'spec.extra',
      'spec.jobName',
      'spec.mode',
      'spec.source.partitions.from',
      'spec.source.partitions.to',
      'spec.target.tableName',
      'spec.transform',
    ];
    expect([...fieldsOf(error.problems)].sort()).toEqual(expected);
    expect(error.message).toContain(`(${expected.length} problems)`);
    for (const field of expected) expect(error.message).toContain(`  - ${field}: `);
  });

  it('fills in every default', () => {
    // GIVEN the smallest valid spec
    const spec = parseSpec({
      jobName: 'j1',
      source: { type: 's3-jsonl', bucket: 'src-bucket' },
      transform: 'order-summary@2',
      target: { tableName: 'summaries', partitionKey: 'orderId' },
    });
    // THEN the omitted fields have their documented defaults
    expect(spec).toEqual({
      jobName: 'j1',
      source: { type: 's3-jsonl', bucket: 'src-bucket', prefix: '' },
      transform: 'order-summary@2',
      target: { tableName: 'summaries', partitionKey: 'orderId', versionAttribute: 'version', partitionKeyType: 'S', sortKeyType: 'S' },
      batchSize: 2000,
      batchesPerWorker: 1,
      maxConcurrency: 2,
      toleratedFailurePercent: 0,
      maxMalformedPercent: 1,
      mode: 'apply',
      leaseSeconds: 60,
      maxBatchBytes: 67_108_864,
      maxRecordBytes: 1_048_576,
      allowEmpty: false,
    });
  });

  it('accepts a one-day partition range and the example spec', () => {
    expect(parseSpec(specWith((s) => (source(s).partitions = { from: '2024-02-29', to: '2024-02-29' }))).source.partitions).toEqual({
      from: '2024-02-29',
      to: '2024-02-29',
    });
    expect(parseSpec(exampleSpecInput()).jobName).toBe('orders-fix-rounding');
  });
});

describe('validateExecutionInput', () => {
  it('refuses a well-formed but unregistered transform, naming spec.transform and the known ones', () => {
    const error = invalidSpecErrorOf(() => validateExecutionInput(specWith((s) => (s.transform = 'order-summary@9')), 'run-1'));
    expect(fieldsOf(error.problems)).toEqual(['spec.transform']);
    expect(error.message).toContain('"order-summary@9"');
    expect(error.message).toContain('order-summary@2');
  });

  it('reports structural problems before looking up the transform', () => {
    const error = invalidSpecErrorOf(() => validateExecutionInput(specWith((s) => ((s.transform = 'order-summary@9'), (s.batchSize = -5))), 'run-1'));
    expect(fieldsOf(error.problems)).toEqual(['spec.batchSize']);
  });

  it('returns the runId, the defaulted spec and its hash', () => {
    const result = validateExecutionInput(exampleSpecInput(), 'run-1');
    expect(result.runId).toBe('run-1');
    expect(result.spec.batchesPerWorker).toBe(1); // a default the example omits
    expect(result.specHash).toBe(specHash(result.spec));
  });
});

describe('specHash', () => {
  it('is a sha256 that does not depend on key order, at any depth', () => {
    // GIVEN the same spec with its keys in reverse order at every depth
    const spec = parseSpec(exampleSpecInput());
    const reverseKeys = (value: unknown): unknown =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]))
        : value;
    const reordered = reverseKeys(spec) as typeof spec;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(spec));
    // THEN both hash the same
    expect(specHash(reordered)).toBe(specHash(spec));
    expect(specHash(spec)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same whether a default is omitted or written out', () => {
    const omitted = specWith((s) => delete s.batchSize);
    const explicit = specWith((s) => (s.batchSize = 2000));
    expect(specHash(parseSpec(omitted))).toBe(specHash(parseSpec(explicit)));
  });

  const changes: Array<[string, (s: Input) => void]> = [
    ['jobName', (s) => (s.jobName = 'orders-fix-rounding-2')],
    ['source.bucket', (s) => (source(s).bucket = 'other-source')],
    ['source.prefix', (s) => (source(s).prefix = 'orders/v2/')],
    ['source.partitions', (s) => (source(s).partitions = { from: '2024-01-01', to: '2024-01-31' })],
    ['transform', (s) => (s.transform = 'order-summary@1')],
    ['target.tableName', (s) => (target(s).tableName = 'order-summaries-v2')],
    ['target.partitionKey', (s) => (target(s).partitionKey = 'id')],
    ['target.sortKey', (s) => (target(s).sortKey = 'sk')],
    ['target.versionAttribute', (s) => (target(s).versionAttribute = 'rev')],
    ['batchSize', (s) => (s.batchSize = 499)],
    ['batchesPerWorker', (s) => (s.batchesPerWorker = 2)],
    ['maxConcurrency', (s) => (s.maxConcurrency = 9)],
    ['toleratedFailurePercent', (s) => (s.toleratedFailurePercent = 0.5)],
    ['maxMalformedPercent', (s) => (s.maxMalformedPercent = 2)],
    ['mode', (s) => (s.mode = 'dry-run')],
    ['leaseSeconds', (s) => (s.leaseSeconds = 121)],
  ];

  it.each(changes)('changes when %s changes', (_field, change) => {
    expect(specHash(parseSpec(specWith(change)))).not.toBe(specHash(parseSpec(exampleSpecInput())));
  });
});
