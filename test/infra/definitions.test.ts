import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DEMO_TARGET_TABLE, LEDGER_TABLE, LOCAL_NAMES, type TableDefinition } from '../../infra/definitions';
import type { RunningEmulator } from '../../local/emulators';
import { createTableInput } from '../../local/tables';
import { dynamoTargets, startTestDynamo, uniqueName } from '../support';
import { synthBackfillStack } from './support/synthBackfillStack';

// One definition, two engines: the tables the stack deploys and the tables the local runtime
// creates come from the same infra/definitions.ts. GIVEN a demo deployment (it also creates the
// demo target table):
const { stack, json } = synthBackfillStack({ createDemoTargetTable: true });
const tableProps = (table: { node: { defaultChild?: unknown } }) => json.Resources[stack.resolve((table.node.defaultChild as any).logicalId) as string].Properties as Record<string, any>;

/** The key schema a definition means, in CloudFormation's and DynamoDB's shared shape. */
function keysOf(definition: TableDefinition) {
  const keys = definition.sortKey ? [definition.partitionKey, definition.sortKey] : [definition.partitionKey];
  return {
    KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
    AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
  };
}
const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) => String(a.AttributeName).localeCompare(String(b.AttributeName));
const keysIn = (props: { KeySchema?: unknown[]; AttributeDefinitions?: unknown[] }) => ({
  KeySchema: props.KeySchema,
  AttributeDefinitions: [...((props.AttributeDefinitions ?? []) as { AttributeName?: string }[])].sort(byName),
});

const TABLES: [string, TableDefinition, () => Record<string, any>][] = [
  ['ledger', LEDGER_TABLE, () => tableProps(stack.ledger.table)],
  ['demo target', DEMO_TARGET_TABLE, () => tableProps(stack.targets.demoTable!)],
];

describe.each(TABLES)('the %s table', (_name, definition, templateProps) => {
  it('is deployed with the key schema infra/definitions.ts gives', () => {
    expect(keysIn(templateProps())).toEqual(keysIn(keysOf(definition)));
  });

  it('is on-demand with point-in-time recovery', () => {
    expect(templateProps()).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  });

  it('is created locally by createTableInput with the same keys as the template', () => {
    const input = createTableInput('any-name', definition);
    expect(keysIn(input)).toEqual(keysIn(templateProps()));
    expect(input.BillingMode).toBe(templateProps().BillingMode);
  });
});

describe('the demo target table', () => {
  it('is named as the local runtime names it, and is a target the worker may write', () => {
    expect(tableProps(stack.targets.demoTable!).TableName).toBe(LOCAL_NAMES.demoTargetTable);
    expect(stack.targets.tables).toEqual([stack.targets.demoTable]);
  });
});

describe.each(dynamoTargets())('createTableInput on %s', (target) => {
  let dynamo: RunningEmulator;
  let ddb: DynamoDBClient;
  beforeAll(async () => {
    dynamo = await startTestDynamo(target);
    ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    ddb?.destroy();
    await dynamo?.close();
  });

  it.each(TABLES)('creates a %s table whose described keys equal the template\'s', async (name, definition, templateProps) => {
    // WHEN the local runtime creates the table
    const tableName = uniqueName(`${name.replace(/\W/g, '-')}-table`);
    await ddb.send(new CreateTableCommand(createTableInput(tableName, definition)));
    // THEN DynamoDB describes the key schema the stack deploys
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    expect(keysIn({ KeySchema: Table!.KeySchema, AttributeDefinitions: Table!.AttributeDefinitions })).toEqual(keysIn(templateProps()));
  });
});
