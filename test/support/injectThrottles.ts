import { Readable } from 'node:stream';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Switchable throttling of one table's requests (see {@link injectThrottles}). */
export interface ThrottleSwitch {
  /** Throttle the first attempt of one request in `every` (1: every request's, 0: none) from now on; the SDK's retry then gets through. */
  set(every: number): void;
  /** Attempts answered as throttled so far. */
  readonly throttled: number;
}

/** DynamoDB's own body for a throttled request. */
const THROTTLED_BODY = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
  message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
});

const namesTable = (input: Record<string, unknown>, tableName: string): boolean =>
  input.TableName === tableName || Object.prototype.hasOwnProperty.call(input.RequestItems ?? {}, tableName);

/**
 * Makes `ddb` answer attempts on `tableName` as DynamoDB does when it throttles (HTTP 400 with
 * ProvisionedThroughputExceededException), in place of the emulator: the first attempt of one
 * request in `every`, deterministically, so a retry always gets through. It sits at the bottom of the deserialize step (per attempt, below the SDK's
 * retry, which retries these as it would on AWS). Requests on other tables (the ledger) pass.
 * @example
 *   const throttles = injectThrottles(env.clients.ddb, 'order-summaries');
 *   throttles.set(2); // every second attempt on the target is throttled
 */
export function injectThrottles(ddb: DynamoDBDocumentClient, tableName: string): ThrottleSwitch {
  let every = 0;
  let sequence = 0;
  let throttled = 0;
  // A request's retries carry the same input: only its first attempt is judged.
  const seen = new WeakSet<object>();
  ddb.middlewareStack.add(
    (next) => async (args) => {
      const input = (args as { input: Record<string, unknown> }).input;
      if (every === 0 || seen.has(input) || !namesTable(input, tableName)) return next(args);
      seen.add(input);
      if (sequence++ % every !== 0) return next(args);
      throttled += 1;
      const response = { statusCode: 400, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `throttled-${throttled}` }, body: Readable.from([Buffer.from(THROTTLED_BODY)]) };
      return { response, output: undefined } as never;
    },
    { step: 'deserialize', name: 'injectThrottles', priority: 'low' },
  );
  return {
    set: (value) => {
      every = value;
    },
    get throttled() {
      return throttled;
    },
  };
}
