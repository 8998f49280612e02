import type { AwsClients } from '../aws/clients';
import type { MeteredRequests } from '../ledger';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Next = (args: { input: Input }) => Promise<{ output: Output }>;
type Middleware = (next: Next, context: { commandName?: string }) => (args: { input: Input }) => Promise<{ output: Output }>;
interface Command {
  readonly middlewareStack: { add(middleware: Middleware, options: { step: 'initialize'; name: string; priority: 'high'; override: true }): void };
}
interface Sender {
  send(command: Command, ...rest: unknown[]): Promise<unknown>;
}
interface ConsumedCapacity {
  readonly CapacityUnits?: number;
}
type Tally = { -readonly [K in keyof MeteredRequests]: MeteredRequests[K] };

const CAPACITY_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'Query', 'Scan', 'TransactGetItems', 'TransactWriteItems']);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
// S3's PUT price class (the price table's putClassOperations); every other request is GET class.
const S3_PUT_CLASS = /^(Put|Copy|Post|List|CreateMultipartUpload|UploadPart|CompleteMultipartUpload)/;

/** Zero of everything metered. */
export const NO_REQUESTS: MeteredRequests = { dynamodbReadRequests: 0, dynamodbWriteRequests: 0, dynamodbReadUnits: 0, dynamodbWriteUnits: 0, s3Gets: 0, s3Puts: 0 };

/** Clients that count what is sent through them, until `stop` (which returns the count). */
export interface RequestMeter {
  readonly clients: AwsClients;
  stop(): MeteredRequests;
}

/**
 * Counts the AWS requests made through the returned `clients` (SDK retries included) and the
 * DynamoDB capacity they consumed, asking for `ReturnConsumedCapacity: 'TOTAL'`, from now until
 * `stop()`. The returned clients are views of `clients`: same connections, same configuration;
 * each request sent through them carries its own meter on its command, so batches running at once
 * on shared clients each count only their own, requests sent through `clients` themselves are not
 * touched, and nothing is attributed through AsyncLocalStorage (whose promise hooks, once enabled,
 * slow every promise of the process: the worker's and, locally, the emulators'). A write refused
 * by its condition consumes capacity on AWS but reports none: it is counted as one write unit (a
 * lower bound).
 *
 * @example
 *   const meter = startRequestMeter(deps.clients);
 *   await writeBatch({ ...deps, clients: meter.clients });
 *   meter.stop().dynamodbWriteUnits; // write units the batch consumed
 */
export function startRequestMeter(clients: AwsClients): RequestMeter {
  const tally: Tally = { ...NO_REQUESTS };
  let open = true;
  const metered = <C extends object>(client: C, service: 'DynamoDB' | 'S3'): C => {
    const send = (command: Command, ...rest: unknown[]) => {
      if (open) command.middlewareStack.add(middleware(service, tally), { step: 'initialize', name: 'stageRequestMeter', priority: 'high', override: true });
      return (client as unknown as Sender).send(command, ...rest);
    };
    return new Proxy(client, {
      get(target, property) {
        if (property === 'send') return send;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  return {
    clients: { ddb: metered(clients.ddb, 'DynamoDB'), s3: metered(clients.s3, 'S3') },
    stop() {
      open = false;
      return { ...tally };
    },
  };
}

/**
 * Runs `work` with metered views of `clients` and returns what it sent through them (see
 * {@link startRequestMeter}); requests after `work` returns are not in the count.
 *
 * @example
 *   const { result, requests } = await meterRequests(deps.clients, (clients) => runBatch({ ...deps, clients }));
 *   requests.dynamodbWriteUnits; // write units the batch consumed
 */
export async function meterRequests<T>(clients: AwsClients, work: (metered: AwsClients) => Promise<T>): Promise<{ result: T; requests: MeteredRequests }> {
  const meter = startRequestMeter(clients);
  const result = await work(meter.clients);
  return { result, requests: meter.stop() };
}

function middleware(service: 'DynamoDB' | 'S3', tally: Tally): Middleware {
  return (next, context) => async (args) => {
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
