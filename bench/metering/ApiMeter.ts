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

  attach(clients: AwsClients): void {
    (clients.ddb as unknown as StackOwner).middlewareStack.add(this.middleware('DynamoDB'), { step: 'initialize', name: 'benchApiMeter', priority: 'high' });
    (clients.s3 as unknown as StackOwner).middlewareStack.add(this.middleware('S3'), { step: 'initialize', name: 'benchApiMeter', priority: 'high' });
  }

  /** Starts counting from zero. */
  start(): void {
    this.usage = emptyUsage();
    this.active = true;
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
      try {
        const result = await next({ ...args, input });
        this.addRequests(name, (result.output.$metadata as { attempts?: number } | undefined)?.attempts ?? 1);
        if (wantsCapacity) this.addCapacity(operation, result.output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined);
        return result;
      } catch (error) {
        const err = error as Error & { $metadata?: { attempts?: number } };
        this.addRequests(name, err.$metadata?.attempts ?? 1);
        this.usage.errors[`${name}:${err.name}`] = (this.usage.errors[`${name}:${err.name}`] ?? 0) + 1;
        if (service === 'DynamoDB' && err.name === 'ConditionalCheckFailedException') this.addRefusedWrite(input);
        throw error;
      }
    };
  }

  private addRequests(name: string, attempts: number): void {
    this.usage.requests[name] = (this.usage.requests[name] ?? 0) + attempts;
  }

  private table(name: string): TableCapacity {
    return (this.usage.dynamodb[name] ??= { readUnits: 0, writeUnits: 0, conditionalFailures: 0, conditionalFailureWriteUnits: 0 });
  }

  private addCapacity(operation: string, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const table = this.table(entry.TableName ?? '(unknown)');
      if (WRITE_OPERATIONS.has(operation)) table.writeUnits += entry.CapacityUnits ?? 0;
      else table.readUnits += entry.CapacityUnits ?? 0;
    }
  }

  private addRefusedWrite(input: Input): void {
    const [tableName] = tablesOf(input);
    const table = this.table(tableName ?? '(unknown)');
    table.conditionalFailures += 1;
    // PutItem: the item's size; UpdateItem/DeleteItem: the key and values sent (a lower bound, ≥ 1 unit).
    const sized = (input.Item ?? { ...(input.Key as Input | undefined), ...(input.ExpressionAttributeValues as Input | undefined) }) as Input;
    table.conditionalFailureWriteUnits += writeUnitsFor(itemSizeBytes(sized));
  }
}

function emptyUsage(): ApiUsage {
  return { requests: {}, errors: {}, dynamodb: {} };
}
