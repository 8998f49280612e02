import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalJson } from '../../lambdas/lib/canonicalJson';

/**
 * Every item of a table as canonical JSON lines (keys sorted), the lines sorted: two dumps are
 * byte-identical exactly when the tables hold the same items.
 */
export async function dumpTable(ddb: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const lines: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) lines.push(canonicalJson(item));
    start = page.LastEvaluatedKey;
  } while (start);
  lines.sort();
  return lines.map((line) => `${line}\n`).join('');
}
