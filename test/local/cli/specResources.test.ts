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

  it('refuses a mistyped target table (exit 2), naming it and how to create it, and creates nothing', async () => {
    // GIVEN the example spec with a typo in the target table's name
    const spec = specFile('typo', { ...EXAMPLE_SPEC, target: { ...(EXAMPLE_SPEC.target as object), tableName: 'order-summaries-typo' } });
    // WHEN it runs
    const result = await runCli(['--data-dir', dataDir, '--records', '300', '--spec', spec]);
    // THEN it is refused before the run starts, with the tables there are and the command that would create it
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'error: spec.target.tableName: table order-summaries-typo does not exist on the local DynamoDB (it has: backfill-ledger, order-summaries). ' +
        "npm start creates only the demo's own resources, never a spec's, so a mistyped name cannot become a new, empty table; " +
        "use the demo's target table order-summaries, or create yours first with its real key types: " +
        'aws --endpoint-url <local DynamoDB endpoint> dynamodb create-table --table-name order-summaries-typo ' +
        '--attribute-definitions AttributeName=orderId,AttributeType=S --key-schema AttributeName=orderId,KeyType=HASH --billing-mode PAY_PER_REQUEST\n',
    );
    // AND the table was not created (and no run was recorded for it)
    expect((await runCli(['--data-dir', dataDir, '--dump', 'order-summaries-typo'])).stderr).toMatch(/no table order-summaries-typo/);
    expect((await runCli(['--data-dir', dataDir, '--dump', 'backfill-ledger'])).stdout).toBe('');
  });

  it('refuses a source bucket that does not exist (exit 2), naming it, and does not create it', async () => {
    const spec = specFile('no-bucket', { ...EXAMPLE_SPEC, source: { ...(EXAMPLE_SPEC.source as object), bucket: 'backfill-sauce' } });
    const result = await runCli(['--data-dir', dataDir, '--records', '300', '--spec', spec]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: spec\.source\.bucket: bucket backfill-sauce does not exist on the local S3 \(it has: backfill-artifacts, backfill-source\)\. npm start creates only the demo's own resources/);
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
      'aws --endpoint-url <local DynamoDB endpoint> dynamodb create-table --table-name events ' +
        '--attribute-definitions AttributeName=tenant,AttributeType=S AttributeName=seq,AttributeType=N ' +
        '--key-schema AttributeName=tenant,KeyType=HASH AttributeName=seq,KeyType=RANGE --billing-mode PAY_PER_REQUEST',
    );
  });
});
