import { AsyncLocalStorage } from 'node:async_hooks';
import type { AwsClients } from '../aws/clients';
import type { MeteredRequests } from '../ledger';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Next = (args: { input: Input }) => Promise<{ output: Output }>;
type Middleware = (next: Next, context: { commandName?: string }) => (args: { input: Input }) => Promise<{ output: Output }>;
interface StackOwner {
  readonly middlewareStack: { add(middleware: Middleware, options: { step: 'initialize'; name: string; priority: 'high' }): void };
}
interface ConsumedCapacity {
  readonly CapacityUnits?: number;
}
type Tally = { -readonly [K in keyof MeteredRequests]: MeteredRequests[K] };

const CAPACITY_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'Query', 'Scan', 'TransactGetItems', 'TransactWriteItems']);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
// S3's PUT price class (the price table's putClassOperations); every other request is GET class.
const S3_PUT_CLASS = /^(Put|Copy|Post|List|CreateMultipartUpload|UploadPart|CompleteMultipartUpload)/;

const current = new AsyncLocalStorage<Tally>();
const attached = new WeakSet<object>();

/** Zero of everything metered. */
export const NO_REQUESTS: MeteredRequests = { dynamodbReadRequests: 0, dynamodbWriteRequests: 0, dynamodbReadUnits: 0, dynamodbWriteUnits: 0, s3Gets: 0, s3Puts: 0 };

/**
 * Runs `work` and counts the AWS requests it makes through `clients` (SDK retries included) and the
 * DynamoDB capacity they consumed, asking for `ReturnConsumedCapacity: 'TOTAL'`. Requests are
 * attributed through AsyncLocalStorage, so batches running at once on shared clients each count
 * only their own; requests outside a metered call are not touched. A write refused by its
 * condition consumes capacity on AWS but reports none: it is counted as one write unit (a lower
 * bound). Ledger writes after `work` returns (completing the batch) are not in the count.
 *
 * @example
 *   const { result, requests } = await meterRequests(deps.clients, () => runBatch());
 *   requests.dynamodbWriteUnits; // write units the batch consumed
 */
export async function meterRequests<T>(clients: AwsClients, work: () => Promise<T>): Promise<{ result: T; requests: MeteredRequests }> {
  attach(clients.ddb as unknown as StackOwner, 'DynamoDB');
  attach(clients.s3 as unknown as StackOwner, 'S3');
  const tally: Tally = { ...NO_REQUESTS };
  const result = await current.run(tally, work);
  return { result, requests: { ...tally } };
}

function attach(client: StackOwner, service: 'DynamoDB' | 'S3'): void {
  if (attached.has(client)) return;
  attached.add(client);
  client.middlewareStack.add(middleware(service), { step: 'initialize', name: 'stageRequestMeter', priority: 'high' });
}

function middleware(service: 'DynamoDB' | 'S3'): Middleware {
  return (next, context) => async (args) => {
    const tally = current.getStore();
    if (tally === undefined) return next(args);
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    const wantsCapacity = service === 'DynamoDB' && CAPACITY_OPERATIONS.has(operation);
    const write = WRITE_OPERATIONS.has(operation);
    const input = wantsCapacity ? { ...args.input, ReturnConsumedCapacity: 'TOTAL' } : args.input;
    const count = (attempts: number | undefined) => {
      const n = attempts ?? 1;
      if (service === 'S3') {
        if (S3_PUT_CLASS.test(operation)) tally.s3Puts += n;
        else tally.s3Gets += n;
      } else if (write) tally.dynamodbWriteRequests += n;
      else tally.dynamodbReadRequests += n;
    };
    try {
      const result = await next({ ...args, input });
      count((result.output.$metadata as { attempts?: number } | undefined)?.attempts);
      if (wantsCapacity) {
        const consumed = result.output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined;
        const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (write) tally.dynamodbWriteUnits += units;
        else tally.dynamodbReadUnits += units;
      }
      return result;
    } catch (error) {
      const failed = error as Error & { $metadata?: { attempts?: number } };
      count(failed.$metadata?.attempts);
      if (service === 'DynamoDB' && failed.name === 'ConditionalCheckFailedException') tally.dynamodbWriteUnits += 1;
      throw error;
    }
  };
}
