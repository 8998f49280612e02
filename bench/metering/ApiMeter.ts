import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { itemSizeBytes, writeUnitsFor } from './itemSize';

/** DynamoDB capacity one table consumed, as the emulator reported it (plus refused conditional writes). */
export interface TableCapacity {
  readUnits: number;
  writeUnits: number;
  /** Writes refused by their condition: AWS bills them; the emulator reports no capacity for them. */
  conditionalFailures: number;
  /** Write units of those refused writes, computed from the request's item size (see itemSize.ts). */
  conditionalFailureWriteUnits: number;
}

/** Every AWS request one run made, by `Service.Operation`, and DynamoDB capacity by table. */
export interface ApiUsage {
  /** HTTP requests per operation, SDK retries included (`$metadata.attempts`). */
  readonly requests: Record<string, number>;
  /** Failed calls per `Service.Operation:ErrorName`. */
  readonly errors: Record<string, number>;
  readonly dynamodb: Record<string, TableCapacity>;
}

const CAPACITY_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem', 'BatchWriteItem', 'Query', 'Scan', 'TransactGetItems', 'TransactWriteItems']);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

interface ConsumedCapacity {
  readonly TableName?: string;
  readonly CapacityUnits?: number;
}

type Input = Record<string, unknown>;
type Next = (args: { input: Input }) => Promise<{ output: Record<string, unknown> }>;
type Middleware = (next: Next, context: { commandName?: string }) => (args: { input: Input }) => Promise<{ output: Record<string, unknown> }>;
interface StackOwner {
  readonly middlewareStack: { add(middleware: Middleware, options: { step: 'initialize'; name: string; priority: 'high' }): void };
}

const operationOf = (commandName: string | undefined): string => (commandName ?? 'Unknown').replace(/Command$/, '');
const tablesOf = (input: Input): string[] =>
  typeof input.TableName === 'string' ? [input.TableName] : input.RequestItems && typeof input.RequestItems === 'object' ? Object.keys(input.RequestItems) : [];

/**
 * Counts every request of the clients it is attached to, with SDK middleware: no domain code
 * changes. On DynamoDB it asks for `ReturnConsumedCapacity: 'TOTAL'` (dynalite computes it with
 * AWS's rules: 1 KB write units, 4 KB read units, half for eventually consistent reads, each
 * BatchGetItem item rounded on its own) and adds it up per table.
 * @example
 *   const meter = new ApiMeter();
 *   meter.attach(env.clients);
 *   meter.start(); await runBackfillLocally(...); const usage = meter.stop();
 */
export class ApiMeter {
  private active = false;
  private usage: ApiUsage = emptyUsage();
  private perFunction: Record<string, ApiUsage> = {};

  /** @param functionOf names the function a request is made in (e.g. LambdaMeter.currentFunction), to count per function too. */
  constructor(private readonly functionOf?: () => string | undefined) {}

  attach(clients: AwsClients): void {
    (clients.ddb as unknown as StackOwner).middlewareStack.add(this.middleware('DynamoDB'), { step: 'initialize', name: 'benchApiMeter', priority: 'high' });
    (clients.s3 as unknown as StackOwner).middlewareStack.add(this.middleware('S3'), { step: 'initialize', name: 'benchApiMeter', priority: 'high' });
  }

  /** Starts counting from zero. */
  start(): void {
    this.usage = emptyUsage();
    this.perFunction = {};
    this.active = true;
  }

  /** A copy of what was counted so far, in all and per function (see `usageSince`). */
  snapshot(): { readonly total: ApiUsage; readonly byFunction: Record<string, ApiUsage> } {
    return structuredClone({ total: this.usage, byFunction: this.perFunction });
  }

  /** Stops counting and returns what was counted since `start`. */
  stop(): ApiUsage {
    this.active = false;
    return this.usage;
  }

  private middleware(service: 'DynamoDB' | 'S3'): Middleware {
    return (next, context) => async (args) => {
      if (!this.active) return next(args);
      const operation = operationOf(context.commandName);
      const wantsCapacity = service === 'DynamoDB' && CAPACITY_OPERATIONS.has(operation);
      const input = wantsCapacity ? { ...args.input, ReturnConsumedCapacity: 'TOTAL' } : args.input;
      const name = `${service}.${operation}`;
      const fn = this.functionOf?.();
      const usages = fn === undefined ? [this.usage] : [this.usage, (this.perFunction[fn] ??= emptyUsage())];
      try {
        const result = await next({ ...args, input });
        for (const usage of usages) {
          addRequests(usage, name, (result.output.$metadata as { attempts?: number } | undefined)?.attempts ?? 1);
          if (wantsCapacity) addCapacity(usage, operation, result.output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined);
        }
        return result;
      } catch (error) {
        const err = error as Error & { $metadata?: { attempts?: number } };
        for (const usage of usages) {
          addRequests(usage, name, err.$metadata?.attempts ?? 1);
          usage.errors[`${name}:${err.name}`] = (usage.errors[`${name}:${err.name}`] ?? 0) + 1;
          if (service === 'DynamoDB' && err.name === 'ConditionalCheckFailedException') addRefusedWrite(usage, input);
        }
        throw error;
      }
    };
  }
}

function addRequests(usage: ApiUsage, name: string, attempts: number): void {
  usage.requests[name] = (usage.requests[name] ?? 0) + attempts;
}

function tableOf(usage: ApiUsage, name: string): TableCapacity {
  return (usage.dynamodb[name] ??= { readUnits: 0, writeUnits: 0, conditionalFailures: 0, conditionalFailureWriteUnits: 0 });
}

function addCapacity(usage: ApiUsage, operation: string, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
  for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    const table = tableOf(usage, entry.TableName ?? '(unknown)');
    if (WRITE_OPERATIONS.has(operation)) table.writeUnits += entry.CapacityUnits ?? 0;
    else table.readUnits += entry.CapacityUnits ?? 0;
  }
}

function addRefusedWrite(usage: ApiUsage, input: Input): void {
  const [tableName] = tablesOf(input);
  const table = tableOf(usage, tableName ?? '(unknown)');
  table.conditionalFailures += 1;
  // PutItem: the item's size; UpdateItem/DeleteItem: the key and values sent (a lower bound, ≥ 1 unit).
  const sized = (input.Item ?? { ...(input.Key as Input | undefined), ...(input.ExpressionAttributeValues as Input | undefined) }) as Input;
  table.conditionalFailureWriteUnits += writeUnitsFor(itemSizeBytes(sized));
}

/**
 * What was counted between two readings of a meter: `after` minus `before`, per operation, error and table.
 * @example
 *   usageSince(meter.stop(), atCanaryEnd.total).requests['S3.GetObject']; // GETs after the canary
 */
export function usageSince(after: ApiUsage, before: ApiUsage): ApiUsage {
  const minus = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)] as const).filter(([, v]) => v !== 0));
  const dynamodb: Record<string, TableCapacity> = {};
  for (const [table, capacity] of Object.entries(after.dynamodb)) {
    const was = before.dynamodb[table];
    dynamodb[table] = {
      readUnits: capacity.readUnits - (was?.readUnits ?? 0),
      writeUnits: capacity.writeUnits - (was?.writeUnits ?? 0),
      conditionalFailures: capacity.conditionalFailures - (was?.conditionalFailures ?? 0),
      conditionalFailureWriteUnits: capacity.conditionalFailureWriteUnits - (was?.conditionalFailureWriteUnits ?? 0),
    };
  }
  return { requests: minus(after.requests, before.requests), errors: minus(after.errors, before.errors), dynamodb };
}

export function emptyUsage(): ApiUsage {
  return { requests: {}, errors: {}, dynamodb: {} };
}
