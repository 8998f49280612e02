import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { LOCAL_NAMES } from '../../infra/definitions';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import type { Spec } from '../../lambdas/lib/spec';
import { MissingLocalResourceError } from './errors';

const notFound = (error: unknown): boolean => {
  const err = error as Error & { $metadata?: { httpStatusCode?: number } };
  return err.name === 'ResourceNotFoundException' || err.name === 'NotFound' || err.name === 'NoSuchBucket' || err.$metadata?.httpStatusCode === 404;
};

/** The AWS CLI command that creates the spec's target table on AWS as the worker expects it (on demand). */
export function createTableCommand(target: Spec['target']): string {
  const keys = [
    { name: target.partitionKey, type: target.partitionKeyType, role: 'HASH' },
    ...(target.sortKey ? [{ name: target.sortKey, type: target.sortKeyType, role: 'RANGE' }] : []),
  ];
  return [
    'aws dynamodb create-table',
    `--table-name ${target.tableName}`,
    `--attribute-definitions ${keys.map((k) => `AttributeName=${k.name},AttributeType=${k.type}`).join(' ')}`,
    `--key-schema ${keys.map((k) => `AttributeName=${k.name},KeyType=${k.role}`).join(' ')}`,
    '--billing-mode PAY_PER_REQUEST',
  ].join(' ');
}

const listed = (names: readonly string[]): string => (names.length ? names.join(', ') : 'none');

// Locally the emulators live inside the CLI process on a random port, so there is nowhere to create
// a table or bucket: the advice a user can follow now is the demo's resource, or the AWS command.
const LOCAL_ONLY_DEMO = "npm start holds only the demo's own tables and buckets and never creates a spec's";

/**
 * Checks that the spec's source bucket and target table exist on the local emulators, before the
 * run starts. The local runtime creates only the demo's own resources (from infra/definitions.ts):
 * creating whatever a spec names turned a mistyped table name into a new, empty table that received
 * the whole backfill, with keys typed as strings whatever the user's table uses.
 * @throws MissingLocalResourceError naming the missing bucket or table, what exists, the demo's to use, and how to create it on AWS
 * @example
 *   await requireSpecResources(env.clients, spec); // before runBackfillLocally
 */
export async function requireSpecResources(clients: AwsClients, spec: Spec): Promise<void> {
  const bucket = spec.source.bucket;
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!notFound(error)) throw error;
    const { Buckets } = await clients.s3.send(new ListBucketsCommand({}));
    throw new MissingLocalResourceError(
      'spec.source.bucket',
      bucket,
      `spec.source.bucket: bucket ${bucket} does not exist on the local S3 (it has: ${listed((Buckets ?? []).map((b) => b.Name ?? ''))}). ` +
        `${LOCAL_ONLY_DEMO}: point spec.source.bucket at the demo's source bucket ${LOCAL_NAMES.sourceBucket}. ` +
        `On AWS, create your bucket and upload its objects first: aws s3 mb s3://${bucket}`,
    );
  }
  const table = spec.target.tableName;
  try {
    await clients.ddb.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if (!notFound(error)) throw error;
    const { TableNames } = await clients.ddb.send(new ListTablesCommand({}));
    throw new MissingLocalResourceError(
      'spec.target.tableName',
      table,
      `spec.target.tableName: table ${table} does not exist on the local DynamoDB (it has: ${listed(TableNames ?? [])}). ` +
        `${LOCAL_ONLY_DEMO} (a mistyped name would become a new, empty table): point spec.target.tableName at the demo's table ${LOCAL_NAMES.demoTargetTable}. ` +
        `On AWS, create your table first with its real key types: ${createTableCommand(spec.target)}`,
    );
  }
}
