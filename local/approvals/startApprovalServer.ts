import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../lambdas/lib/runtime/Clock';
import { PortInUseError } from '../emulators';
import { functionUrlEvent, type FunctionUrlEvent, type FunctionUrlResult } from './functionUrlEvent';

/** A Function URL's request limit on AWS (6 MB); a larger body gets 413 without reaching the function. */
export const MAX_REQUEST_BODY_BYTES = 6 * 1024 * 1024;

/** The function behind the URL: the approval-page handler, or anything shaped like a Function URL handler. */
export type FunctionUrlHandler = (event: FunctionUrlEvent) => Promise<unknown>;

export interface ApprovalServerOptions {
  readonly handler: FunctionUrlHandler;
  /** On 127.0.0.1. @default 0 - an ephemeral port */
  readonly port?: number;
  /** Stamps requestContext.time / timeEpoch. @default systemClock */
  readonly clock?: Clock;
  /** Where a handler's failure is told (the browser only sees 502, as on AWS). @default - stderr */
  readonly log?: (line: string) => void;
}

/** The approval page on loopback, standing in for the approval function's Function URL. */
export interface ApprovalServer {
  /** `http://127.0.0.1:<port>`: the base of every approval link it serves. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets the requests in flight finish (up to `drainMs`, then drops them), closes every connection. */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** Reads the body; past the limit it drains the rest without keeping it, so the client still reads the 413. */
async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(chunk);
  }
  return size > MAX_REQUEST_BODY_BYTES ? 'too-large' : Buffer.concat(chunks);
}

const isStructured = (result: unknown): result is FunctionUrlResult =>
  typeof result === 'object' && result !== null && !Array.isArray(result) && typeof (result as { statusCode?: unknown }).statusCode === 'number';

/** Writes a handler's result as a Function URL does: a structured result as given, anything else as a 200 JSON body. */
function answer(response: ServerResponse, result: unknown): void {
  if (!isStructured(result)) {
    const text = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...lowerCased(result.headers ?? {}) };
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  headers['content-length'] = String(body.length);
  response.writeHead(result.statusCode!, headers);
  response.end(body);
}

const lowerCased = (headers: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));

function plain(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Serves a Function URL handler on 127.0.0.1: each HTTP request becomes a payload-2.0 event
 * (functionUrlEvent), the handler's result becomes the HTTP answer. As on AWS, a body over 6 MB
 * gets 413 and a handler that throws gets 502 (the error is logged, not shown).
 * @throws PortInUseError when `port` is taken
 * @example
 *   const server = await startApprovalServer({ handler: (event) => approvalPage(event, { awsRequestId: randomUUID() }) });
 *   // open `${server.url}/approvals/<id>?approver=…&exp=…&sig=…`
 *   await server.close();
 */
export async function startApprovalServer(options: ApprovalServerOptions): Promise<ApprovalServer> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const inFlight = new Set<Promise<void>>();
  let domainName = '127.0.0.1';
  const server = createServer((request, response) => {
    const served = serve(request, response).finally(() => inFlight.delete(served));
    inFlight.add(served);
  });
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      const body = await readBody(request);
      if (body === 'too-large') return plain(response, 413, `Request must be smaller than ${MAX_REQUEST_BODY_BYTES} bytes for the approval page`);
      const result = await options.handler(functionUrlEvent(request, body, { requestId, nowMs: clock.nowMs(), domainName }));
      answer(response, result);
    } catch (error) {
      log(`local approval page: request ${requestId} (${request.method} ${request.url?.split('?')[0]}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!response.headersSent) plain(response, 502, 'Internal Server Error');
      else response.destroy();
    }
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError('approval page', options.port ?? 0, { cause: error }) : error));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  domainName = `127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async (closeOptions) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const drained = Promise.all([...inFlight]).then(() => undefined);
      await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, closeOptions?.drainMs ?? 5_000)))]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}
