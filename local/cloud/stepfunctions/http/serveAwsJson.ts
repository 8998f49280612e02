import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TaskTokenError } from '../../../engine';
import { SerializationError, StepFunctionsApiError, UnknownOperationError } from '../errors';
import type { ApiContext, Operation } from '../operations';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AWSStepFunctions.';
// An input of 256 KiB can take up to six times that once JSON-escaped (\u0000).
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * An HTTP server speaking the AWS JSON 1.0 protocol of Step Functions: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>`, answers `200` with the output as JSON, or `400` with
 * `{"__type": "<Code>", "message": "..."}` and `x-amzn-ErrorType`. Signatures are not checked.
 * @example
 *   const server = serveAwsJson(OPERATIONS, context, (line) => process.stderr.write(`${line}\n`));
 *   server.listen(0, '127.0.0.1');
 */
export function serveAwsJson(operations: Readonly<Record<string, Operation>>, context: ApiContext, log: (line: string) => void): Server {
  return createServer((request, response) => {
    void handle(operations, context, request, response, log);
  });
}

async function handle(
  operations: Readonly<Record<string, Operation>>,
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const operation = name !== undefined && request.method === 'POST' && Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (!operation) throw new UnknownOperationError(typeof target === 'string' ? target : undefined, Object.keys(operations));
    send(response, requestId, 200, operation(parseBody(body), context));
  } catch (error) {
    if (error instanceof StepFunctionsApiError || error instanceof TaskTokenError) {
      send(response, requestId, 400, { __type: error.name, message: error.message }, error.name);
      return;
    }
    log(`local Step Functions API: request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    send(response, requestId, 500, { __type: 'InternalFailure', message: `the local Step Functions API failed: ${error instanceof Error ? error.message : String(error)}` }, 'InternalFailure');
  }
}

function send(response: ServerResponse, requestId: string, status: number, body: object, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new SerializationError(`it is over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new SerializationError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new SerializationError(`expected a JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
  return body;
}
