import { CreateTableCommand, DescribeTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableDefinition } from '../../infra/definitions';
import { createTableInput } from '../tables';

export interface EnsureTableOptions {
  /** How long to wait for the table to become ACTIVE. @default 10_000 */
  readonly activeTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function tableStatus(ddb: DynamoDBDocumentClient, name: string): Promise<string | undefined> {
  try {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: name }));
    return Table?.TableStatus ?? 'UNKNOWN';
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Creates a table from a shared definition unless it exists (pay-per-request, like the stack), and
 * returns once it is ACTIVE.
 *
 * Why wait: "the table exists" is not "the table is usable". DynamoDB (and dynalite) answer
 * CreateTable with a CREATING table that refuses item reads and writes with
 * ResourceNotFoundException until it turns ACTIVE. Returning on "DescribeTable found it" let a
 * table left CREATING by a killed process pass as fine, and every later run failed on its first
 * item access. startDynalite repairs that on-disk state; this check makes any table that still is
 * not ACTIVE fail here, naming the table and what to do, instead of deep inside a run.
 * @throws Error when the table is not ACTIVE within `activeTimeoutMs`
 */
export async function ensureTable(
  ddb: DynamoDBDocumentClient,
  name: string,
  definition: TableDefinition,
  options: EnsureTableOptions = {},
): Promise<void> {
  let status = await tableStatus(ddb, name);
  if (status === undefined) {
    try {
      await ddb.send(new CreateTableCommand(createTableInput(name, definition)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    status = await tableStatus(ddb, name);
  }
  const deadline = Date.now() + (options.activeTimeoutMs ?? 10_000);
  while (status !== 'ACTIVE') {
    if (Date.now() >= deadline) {
      throw new Error(
        `local table ${name} is ${status ?? 'missing'}, not ACTIVE, after ${options.activeTimeoutMs ?? 10_000} ms; ` +
          'its data dir was left in a state the emulator cannot finish: move the --data-dir aside (it still holds the earlier state) and start again with a new one',
      );
    }
    await sleep(20);
    status = await tableStatus(ddb, name);
  }
}

/**
 * Creates a bucket unless it exists.
 *
 * Only "not found" means "create it": any other HeadBucket failure is rethrown. s3rver answers
 * HeadBucket by listing the bucket, so a bucket holding a damaged object answered 500, and treating
 * every error as "missing" turned that into a misleading BucketAlreadyExists on every later run.
 */
export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
    return;
  } catch (error) {
    const err = error as Error & { $metadata?: { httpStatusCode?: number } };
    const notFound = err.name === 'NotFound' || err.name === 'NoSuchBucket' || err.$metadata?.httpStatusCode === 404;
    if (!notFound) throw new Error(`cannot check local bucket ${name}: ${err.name}: ${err.message}`, { cause: error });
  }
  await s3.send(new CreateBucketCommand({ Bucket: name }));
}
