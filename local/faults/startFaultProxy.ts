import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomFor, type Random } from '../demo/prng';
import { internalServerErrorAnswer, tablesNamedBy, throttlingAnswer, type DynamoDbAnswer } from './dynamoDbAnswers';
import { FaultProxyPortError } from './errors';
import type { FaultSpec } from './faultSpec';

/** What became of one request: `spared` names no target table (the ledger, ListTables), `passed` was forwarded. */
export type RequestFate = 'spared' | 'passed' | 'throttled' | 'failed';

/** One request the proxy answered, for counters and benchmarks. */
export interface ProxiedRequest {
  /** The JSON protocol's operation (`PutItem`, `BatchWriteItem`, ...) from X-Amz-Target. */
  readonly operation: string;
  readonly tables: readonly string[];
  readonly fate: RequestFate;
  /** The HTTP status the client got. */
  readonly status: number;
}

export interface FaultProxyOptions {
  /** The DynamoDB emulator the proxy forwards to, e.g. dynalite's endpoint. */
  readonly upstream: string;
  /** Tables whose requests are never faulted, e.g. the ledger: a request naming one of them passes untouched. */
  readonly sparedTables: readonly string[];
  /** The faults to inject from the start. @default - none until setFaults */
  readonly faults?: FaultSpec;
  /** Port on 127.0.0.1. @default 0 - an ephemeral port */
  readonly port?: number;
  /** Called once each request is answered. */
  readonly onRequest?: (request: ProxiedRequest) => void;
}

/** A running fault proxy; its faults can be changed or cleared while it serves. */
export interface FaultProxy {
  readonly endpoint: string;
  /** The faults injected now, or undefined when none are. */
  faults(): FaultSpec | undefined;
  /** Injects these faults from the next request on, with a fresh draw sequence from the spec's seed. */
  setFaults(faults: FaultSpec): void;
  /** Stops injecting: every request is forwarded as it is. */
  clearFaults(): void;
  /** Requests answered so far, by fate. */
  counts(): Readonly<Record<RequestFate, number>>;
  /** Calls `listener` once each request is answered, until the returned function is called. */
  observe(listener: (request: ProxiedRequest) => void): () => void;
  close(): Promise<void>;
}

/** The draw stream of the fault proxy (prng.ts streams keep draws for different purposes apart). */
const FAULT_STREAM = 0xfa17;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: DynamoDbAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of a local DynamoDB that injects faults into the
 * requests naming a target table (any table but the spared ones, such as the ledger): a share
 * answered with DynamoDB's own ProvisionedThroughputExceededException (400) and InternalServerError
 * (500) bodies, and added latency; which requests fail follows a seeded draw sequence. Every other
 * request is forwarded byte for byte. Clients pointed at it see what they would see from DynamoDB
 * under throttling: the SDK retries and counts the same errors.
 * @throws FaultProxyPortError when the port cannot be listened on
 * @example
 *   const proxy = await startFaultProxy({ upstream: dynalite.endpoint, sparedTables: ['backfill-ledger'], faults: parseFaultSpec('throttle=0.2') });
 *   // point the handlers' DynamoDB client at proxy.endpoint; later: proxy.clearFaults();
 *   await proxy.close();
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const spared = new Set(options.sparedTables);
  const agent = new Agent({ keepAlive: true });
  const counts: Record<RequestFate, number> = { spared: 0, passed: 0, throttled: 0, failed: 0 };
  let faults: FaultSpec | undefined;
  let random: Random = () => 1;
  const setFaults = (next: FaultSpec) => {
    faults = next;
    random = randomFor(next.seed, FAULT_STREAM, 0);
  };
  if (options.faults) setFaults(options.faults);

  const listeners = new Set<(request: ProxiedRequest) => void>();
  if (options.onRequest) listeners.add(options.onRequest);
  const finish = (request: Omit<ProxiedRequest, 'status'>, status: number) => {
    counts[request.fate] += 1;
    for (const listener of listeners) listener({ ...request, status });
  };

  const forward = (incoming: IncomingMessage, body: Buffer, response: ServerResponse, done: (status: number) => void) => {
    const outgoing = httpRequest(
      { agent, host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', () => done(answer.statusCode ?? 502));
      },
    );
    // The emulator gone: the client sees a dropped connection, as from an unreachable endpoint.
    outgoing.on('error', (error) => response.destroy(error));
    outgoing.end(body);
  };

  const server = createServer((incoming, response) => {
    void (async () => {
      const body = await readBody(incoming);
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const tables = tablesNamedBy(body.toString('utf8'));
      const namesTarget = tables.length > 0 && tables.every((table) => !spared.has(table));
      if (!namesTarget) return forward(incoming, body, response, (status) => finish({ operation, tables, fate: 'spared' }, status));
      const active = faults;
      if (!active) return forward(incoming, body, response, (status) => finish({ operation, tables, fate: 'passed' }, status));
      // One draw per target request, taken before the delay, so the sequence follows arrival order.
      const draw = random();
      if (active.latencyMs > 0) await sleep(active.latencyMs);
      if (draw < active.throttle) {
        send(response, throttlingAnswer());
        return finish({ operation, tables, fate: 'throttled' }, 400);
      }
      if (draw < active.throttle + active.errors) {
        send(response, internalServerErrorAnswer());
        return finish({ operation, tables, fate: 'failed' }, 500);
      }
      forward(incoming, body, response, (status) => finish({ operation, tables, fate: 'passed' }, status));
    })().catch((error: unknown) => response.destroy(error as Error));
  });
  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new FaultProxyPortError(port, { cause: error })));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    faults: () => faults,
    setFaults,
    clearFaults: () => {
      faults = undefined;
    },
    counts: () => ({ ...counts }),
    observe: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
