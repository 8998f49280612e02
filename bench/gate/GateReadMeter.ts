import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;
type Next = (args: { input: Input }) => Promise<{ output: Output }>;
type Middleware = (next: Next, context: { commandName?: string }) => (args: { input: Input }) => Promise<{ output: Output }>;
interface StackOwner {
  readonly middlewareStack: { add(middleware: Middleware, options: { step: 'initialize'; name: string; priority: 'high' }): void };
}

/** What the gate reads cost in one run. */
export interface GateReadUsage {
  /** Gate reads made (each worker batch makes one). */
  readonly reads: number;
  /** Gate reads answered from the first one's answer instead of DynamoDB (the `memoize` variant). */
  readonly answeredFromMemory: number;
  /** Wall time spent in the reads that went to DynamoDB, summed, ms. */
  readonly totalMs: number;
}

/** The gate's key (i12 contracts: the breaker record, pk and sk `BREAKER`), plain or marshalled. */
const isBreakerKey = (key: unknown): boolean => {
  const pk = (key as { pk?: unknown } | null)?.pk;
  return pk === 'BREAKER' || (pk as { S?: unknown } | undefined)?.S === 'BREAKER';
};

/** A gate read: the one BatchGetItem that reads a run and the breaker record together (readGate). */
function isGateRead(commandName: string | undefined, input: Input): boolean {
  if (!/^BatchGet(Item)?Command$/.test(commandName ?? '')) return false;
  const requests = Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>);
  return requests.some((request) => (request.Keys ?? []).some(isBreakerKey));
}

/**
 * Finds the workers' gate reads among the requests of a DynamoDB client, with SDK middleware (no
 * domain code changes), and times them. With `memoize`, every gate read after the first is answered
 * with the first one's answer without a request: the run then makes the same calls minus the gate's
 * round trips, which is the A/B's "without the per-batch gate read" side (only for an undisturbed
 * run, whose gate stays open).
 * @example
 *   const gate = new GateReadMeter({ memoize: false });
 *   gate.attach(env.deps.clients.ddb);
 *   await runBackfillLocally(...); gate.usage(); // { reads: 50, answeredFromMemory: 0, totalMs: 120 }
 */
export class GateReadMeter {
  private reads = 0;
  private answeredFromMemory = 0;
  private totalMs = 0;
  private first: Output | undefined;

  constructor(private readonly options: { readonly memoize: boolean }) {}

  attach(ddb: DynamoDBDocumentClient): void {
    (ddb as unknown as StackOwner).middlewareStack.add(this.middleware, { step: 'initialize', name: 'benchGateReads', priority: 'high' });
  }

  usage(): GateReadUsage {
    return { reads: this.reads, answeredFromMemory: this.answeredFromMemory, totalMs: this.totalMs };
  }

  private readonly middleware: Middleware = (next, context) => async (args) => {
    if (!isGateRead(context.commandName, args.input)) return next(args);
    this.reads += 1;
    if (this.options.memoize && this.first) {
      this.answeredFromMemory += 1;
      return { output: structuredClone(this.first) };
    }
    const started = performance.now();
    const result = await next(args);
    this.totalMs += performance.now() - started;
    this.first ??= structuredClone(result.output);
    return result;
  };
}
