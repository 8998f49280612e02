import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetSchema } from '../../../lambdas/lib/spec';
import { createTableCommand } from '../../../local/runtime/requireSpecResources';
import { EXAMPLE_SPEC } from '../runtime/localRun';
import { runCli } from './runCli';

jest.setTimeout(120_000);

describe('npm start -- --spec FILE naming a table or bucket the emulators do not hold', () => {
  const work = mkdtempSync(join(tmpdir(), 'backfill-resources-'));
  const dataDir = join(work, 'data');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeAll(async () => {
    expect((await runCli(['--data-dir', dataDir, '--records', '300', '--seed-only'])).code).toBe(0);
  });

  const specFile = (name: string, spec: Record<string, unknown>): string => {
    const path = join(work, `${name}.json`);
    writeFileSync(path, JSON.stringify(spec));
    return path;
  };

  it('refuses a mistyped target table (exit 2), naming the tables there, the demo\'s to use and the AWS command, and creates nothing', async () => {
    // GIVEN the example spec with a typo in the target table's name
    const spec = specFile('typo', { ...EXAMPLE_SPEC, target: { ...(EXAMPLE_SPEC.target as object), tableName: 'order-summaries-typo' } });
    // WHEN it runs
    const result = await runCli(['--data-dir', dataDir, '--records', '300', '--spec', spec]);
    // THEN it is refused before the run starts, with advice a user can follow now: locally the demo's table, on AWS the create command
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'error: spec.target.tableName: table order-summaries-typo does not exist on the local DynamoDB (it has: backfill-ledger, order-summaries). ' +
        "npm start holds only the demo's own tables and buckets and never creates a spec's (a mistyped name would become a new, empty table): " +
        "point spec.target.tableName at the demo's table order-summaries. On AWS, create your table first with its real key types: " +
        'aws dynamodb create-table --table-name order-summaries-typo ' +
        '--attribute-definitions AttributeName=orderId,AttributeType=S --key-schema AttributeName=orderId,KeyType=HASH --billing-mode PAY_PER_REQUEST\n',
    );
    // AND the table was not created (and no run was recorded for it)
    expect((await runCli(['--data-dir', dataDir, '--dump', 'order-summaries-typo'])).stderr).toMatch(/no table order-summaries-typo/);
    expect((await runCli(['--data-dir', dataDir, '--dump', 'backfill-ledger'])).stdout).toBe('');
  });

  it('on a new data dir refuses a missing table before seeding the demo: nothing is seeded, nothing runs', async () => {
    // GIVEN a new data dir and a spec naming a table that does not exist
    const fresh = join(work, 'fresh');
    const spec = specFile('typo-fresh', { ...EXAMPLE_SPEC, target: { ...(EXAMPLE_SPEC.target as object), tableName: 'order-summaries-typo' } });
    // WHEN it runs
    const result = await runCli(['--data-dir', fresh, '--records', '300', '--spec', spec]);
    // THEN it is refused without seeding the demo first
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('seeded the demo dataset');
    expect((await runCli(['--data-dir', fresh, '--dump', 'order-summaries'])).stdout).toBe('');
  });

  it('refuses a source bucket that does not exist (exit 2), naming it, and does not create it', async () => {
    const spec = specFile('no-bucket', { ...EXAMPLE_SPEC, source: { ...(EXAMPLE_SPEC.source as object), bucket: 'backfill-sauce' } });
    const result = await runCli(['--data-dir', dataDir, '--records', '300', '--spec', spec]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: spec\.source\.bucket: bucket backfill-sauce does not exist on the local S3 \(it has: backfill-artifacts, backfill-source\)\. npm start holds only the demo's own tables and buckets/);
    expect(result.stderr).toContain("point spec.source.bucket at the demo's source bucket backfill-source. On AWS, create your bucket and upload its objects first: aws s3 mb s3://backfill-sauce\n");
    expect(existsSync(join(dataDir, 's3', 'backfill-sauce'))).toBe(false);
  });

  it('still runs the demo, whose own table and bucket it creates from the stack definitions', async () => {
    const result = await runCli(['--data-dir', dataDir, '--records', '300', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCEEDED', records: 300 });
  });
});

describe('createTableCommand', () => {
  it('creates the spec\'s keys with their declared types, S when none is declared', () => {
    // The spec schema fills in S for an undeclared key type
    const target = TargetSchema.parse({ tableName: 'events', partitionKey: 'tenant', sortKey: 'seq', sortKeyType: 'N' });
    expect(createTableCommand(target)).toBe(
      'aws dynamodb create-table --table-name events ' +
        '--attribute-definitions AttributeName=tenant,AttributeType=S AttributeName=seq,AttributeType=N ' +
        '--key-schema AttributeName=tenant,KeyType=HASH AttributeName=seq,KeyType=RANGE --billing-mode PAY_PER_REQUEST',
    );
  });
});
