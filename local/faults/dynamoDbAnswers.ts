import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** A whole HTTP answer the proxy sends instead of DynamoDB's. */
export interface DynamoDbAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * DynamoDB's answer to a request past the table's throughput, as the service sends it (JSON 1.0
 * protocol): the SDK reads `__type` as the error code and retries it as a throttling error.
 */
const THROTTLING = {
  status: 400,
  body: {
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
};

/** DynamoDB's answer to a request that failed on its side: the SDK retries it as a transient error. */
const INTERNAL_SERVER_ERROR = {
  status: 500,
  body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' },
};

/** Headers as DynamoDB sets them: the request id, and the CRC32 of the body that SDKs may check. */
function answer(status: number, payload: object): DynamoDbAnswer {
  const body = JSON.stringify(payload);
  return {
    status,
    body,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase().slice(0, 32),
      'x-amz-crc32': String(crc32(body)),
    },
  };
}

/**
 * DynamoDB's ProvisionedThroughputExceededException answer (400).
 * @example
 *   const { status, headers, body } = throttlingAnswer();
 */
export const throttlingAnswer = (): DynamoDbAnswer => answer(THROTTLING.status, THROTTLING.body);

/**
 * DynamoDB's InternalServerError answer (500).
 * @example
 *   const { status } = internalServerErrorAnswer(); // 500
 */
export const internalServerErrorAnswer = (): DynamoDbAnswer => answer(INTERNAL_SERVER_ERROR.status, INTERNAL_SERVER_ERROR.body);

/** `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME` or a plain name, as TableName accepts either. */
const tableNameOf = (nameOrArn: string): string => nameOrArn.replace(/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\//, '').split('/')[0]!;

interface RequestBody {
  readonly TableName?: unknown;
  readonly RequestItems?: unknown;
  readonly TransactItems?: unknown;
}

/**
 * The tables a DynamoDB JSON request names: `TableName` (item, query, scan and table calls),
 * the keys of `RequestItems` (BatchGetItem, BatchWriteItem) and each `TransactItems` entry's.
 * A body that is not JSON names none (the emulator answers it as it would).
 * @example
 *   tablesNamedBy('{"RequestItems":{"orders":[]}}'); // ['orders']
 */
export function tablesNamedBy(body: string): string[] {
  let parsed: RequestBody;
  try {
    parsed = JSON.parse(body) as RequestBody;
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const names = new Set<string>();
  if (typeof parsed.TableName === 'string') names.add(tableNameOf(parsed.TableName));
  if (typeof parsed.RequestItems === 'object' && parsed.RequestItems !== null) for (const name of Object.keys(parsed.RequestItems)) names.add(tableNameOf(name));
  if (Array.isArray(parsed.TransactItems)) {
    for (const entry of parsed.TransactItems as unknown[]) {
      for (const operation of Object.values((entry ?? {}) as Record<string, { TableName?: unknown }>)) {
        if (typeof operation?.TableName === 'string') names.add(tableNameOf(operation.TableName));
      }
    }
  }
  return [...names];
}
