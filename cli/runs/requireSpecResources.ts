import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import type { Spec } from '../../lambdas/lib/spec';
import { createTableCommand } from '../../local/runtime/requireSpecResources';
import { SpecResourceMissingError } from '../errors';
import type { Target } from '../target';

const httpStatus = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const bucketMissing = (error: unknown): boolean => ['NotFound', 'NoSuchBucket'].includes((error as Error).name) || httpStatus(error) === 404;

/** Names shown at most: an AWS account may hold hundreds of tables or buckets. */
const NAMES_SHOWN = 20;

/**
 * Resource names for a message: the first 20, then how many more.
 * @example
 *   listedNames(['a', 'b']); // 'a, b'
 *   listedNames([]); // 'none'
 */
export function listedNames(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  if (names.length <= NAMES_SHOWN) return names.join(', ');
  return `${names.slice(0, NAMES_SHOWN).join(', ')} and ${names.length - NAMES_SHOWN} more`;
}

/** The target's table names for a message; undefined when the caller may not list them. */
async function tableNames(target: Target): Promise<string | undefined> {
  try {
    const { TableNames } = await target.dynamodb.send(new ListTablesCommand({}));
    return listedNames(TableNames ?? []);
  } catch {
    return undefined;
  }
}

/** The target's bucket names for a message; undefined when the caller may not list them. */
async function bucketNames(target: Target): Promise<string | undefined> {
  try {
    const { Buckets } = await target.deps.clients.s3.send(new ListBucketsCommand({}));
    return listedNames((Buckets ?? []).map((b) => b.Name ?? ''));
  } catch {
    return undefined;
  }
}

/**
 * Checks, before a run starts, that the spec's target table and source bucket exist on the target
 * (locally and on AWS alike): otherwise the execution starts and fails batch by batch with an error
 * that names neither. A bucket that answers 403 exists but may not be checked by this caller: it
 * goes on (the workers' role reads it, not the operator).
 * @throws SpecResourceMissingError naming the missing table or bucket, what the target has, and what to do
 * @example
 *   await requireSpecResources(target, spec); // before StartExecution
 */
export async function requireSpecResources(target: Target, spec: Spec): Promise<void> {
  const table = spec.target.tableName;
  try {
    await target.dynamodb.send(new DescribeTableCommand({ TableName: table }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    const names = await tableNames(target);
    throw new SpecResourceMissingError(
      'spec.target.tableName',
      table,
      `spec.target.tableName: no table ${table} in ${target.label}${names ? ` (tables: ${names})` : ''}; ` +
        `point spec.target.tableName at an existing table, or create it first with its real key types: ${createTableCommand(spec.target)}`,
      { cause: error },
    );
  }
  const bucket = spec.source.bucket;
  try {
    await target.deps.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if (!bucketMissing(error)) {
      if (httpStatus(error) === 403) return;
      throw error;
    }
    const names = await bucketNames(target);
    throw new SpecResourceMissingError(
      'spec.source.bucket',
      bucket,
      `spec.source.bucket: no bucket ${bucket} in ${target.label} (${names ? `buckets: ${names}; ` : ''}the stack's source bucket is ${target.resources.sourceBucket}); ` +
        `point spec.source.bucket at the bucket that holds the source objects, or create it and upload them first: aws s3 mb s3://${bucket}`,
      { cause: error },
    );
  }
}
