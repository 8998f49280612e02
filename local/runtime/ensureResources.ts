import { CreateTableCommand, DescribeTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableDefinition } from '../../infra/definitions';
import { createTableInput } from '../tables';

/** Creates a table from a shared definition unless it exists (pay-per-request, like the stack). */
export async function ensureTable(ddb: DynamoDBDocumentClient, name: string, definition: TableDefinition): Promise<void> {
  try {
    await ddb.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  try {
    await ddb.send(new CreateTableCommand(createTableInput(name, definition)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  }
}
