import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../infra/definitions';

/**
 * The CreateTable request that makes, on a DynamoDB emulator, the table the stack deploys for
 * `definition` (same key schema and attribute types, on-demand billing). A test compares it with
 * the synthesized CloudFormation template.
 *
 * @example
 *   await ddb.send(new CreateTableCommand(createTableInput(LOCAL_NAMES.ledgerTable, LEDGER_TABLE)));
 */
export function createTableInput(tableName: string, definition: TableDefinition): CreateTableCommandInput {
  const { partitionKey, sortKey } = definition;
  const keys = sortKey ? [partitionKey, sortKey] : [partitionKey];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: 'HASH' },
      ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
  };
}
