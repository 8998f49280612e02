import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localDecisionEndpoint, signedDecisionEndpoint } from '../../cli/target/decisionEndpoints';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-of-alice' };

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** An independent SigV4 check of a received request (the algorithm as AWS documents it), for the Function URL's `lambda` service. */
function expectedSignature(request: { method: string; path: string; headers: IncomingHttpHeaders; body: string }, region: string): { authorization: string; signature: string } {
  const authorization = String(request.headers.authorization);
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) throw new Error(`not a SigV4 Authorization header: ${authorization}`);
  const [, , date, signedRegion, service, signedHeaders] = match;
  expect([signedRegion, service]).toEqual([region, 'lambda']);
  const names = signedHeaders!.split(';');
  const canonicalHeaders = names.map((name) => `${name}:${String(request.headers[name]).trim()}\n`).join('');
  const canonicalRequest = [request.method, request.path, '', canonicalHeaders, signedHeaders, sha256Hex(request.body)].join('\n');
  const amzDate = String(request.headers['x-amz-date']);
  const scope = `${date}/${region}/lambda/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date!), region), 'lambda'), 'aws4_request');
  return { authorization, signature: createHmac('sha256', key).update(stringToSign).digest('hex') };
}

describe('the decision endpoints of backfill approve|reject', () => {
  let server: Server;
  let base: string;
  const received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method!, path: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs POST /decisions with SigV4 for service lambda, over the exact body, with the session token, as AWS verifies it', async () => {
    const endpoint = signedDecisionEndpoint(base, 'eu-west-1', async () => CREDENTIALS);
    const body = JSON.stringify({ runId: 'orders-fix-1', decision: 'approve', comment: 'ok' });
    expect(endpoint.url).toBe(`${base}decisions`);
    expect(await endpoint.post(body)).toEqual({ statusCode: 200, body: '{"ok":true}' });
    const request = received.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/decisions', body });
    expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(request.headers['x-amz-content-sha256']).toBe(sha256Hex(body));
    const { authorization, signature } = expectedSignature(request, 'eu-west-1');
    expect(authorization).toContain('Credential=AKIDEXAMPLE/');
    expect(authorization).toMatch(/SignedHeaders=[^,]*content-type;host;[^,]*x-amz-date/);
    expect(authorization.endsWith(`Signature=${signature}`)).toBe(true);
  });

  it('locally posts the same body naming the CLI\'s local identity, unsigned (a local cloud has no IAM)', async () => {
    const endpoint = localDecisionEndpoint(base.replace(/\/$/, ''), 'local:alice');
    await endpoint.post('{"runId":"r"}');
    const request = received.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', path: '/decisions', body: '{"runId":"r"}' });
    expect(request.headers['x-backfill-local-caller']).toBe('local:alice');
    expect(request.headers.authorization).toBeUndefined();
  });
});
