import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { KeyAttribute, TableDefinition } from '../definitions';

const ATTRIBUTE_TYPES: Record<KeyAttribute['type'], dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

/** The CDK key props for a shared table definition (infra/definitions.ts). */
export function tableKeysFrom(definition: TableDefinition): Pick<dynamodb.TableProps, 'partitionKey' | 'sortKey'> {
  const attribute = (key: KeyAttribute): dynamodb.Attribute => ({ name: key.name, type: ATTRIBUTE_TYPES[key.type] });
  return {
    partitionKey: attribute(definition.partitionKey),
    sortKey: definition.sortKey ? attribute(definition.sortKey) : undefined,
  };
}
