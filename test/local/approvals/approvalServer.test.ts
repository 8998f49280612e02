import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import type { FunctionUrlEvent } from '../../../local/approvals/functionUrlEvent';
import { MAX_REQUEST_BODY_BYTES, startApprovalServer, type ApprovalServer, type FunctionUrlHandler } from '../../../local/approvals/startApprovalServer';
import { PortInUseError } from '../../../local/emulators';
import { deferred } from '../../support';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request through node:http (repeated headers and cookies exactly as given). */
function send(url: string, method: string, path: string, options: { headers?: OutgoingHttpHeaders; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('startApprovalServer', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 13, 41, 28));
  const events: FunctionUrlEvent[] = [];
  const logged: string[] = [];
  let handler: FunctionUrlHandler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
  let server: ApprovalServer;

  beforeAll(async () => {
    server = await startApprovalServer({ clock, log: (line) => logged.push(line), handler: (event) => (events.push(event), handler(event)) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    events.length = 0;
    logged.length = 0;
    handler = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
  });

  it('turns a GET into a Function URL 2.0 event: raw path and query, lower-cased headers joined with commas, cookies apart, source IP and user agent', async () => {
    // GIVEN a GET with a query (one parameter twice), a header twice and two cookies
    const answer = await send(server.url, 'GET', '/approvals/abc123?approver=alice%40example.com&exp=1796212800&x=1&x=2', {
      headers: { 'User-Agent': 'test-agent/1.0', 'X-Forwarded-For': ['10.0.0.1', '10.0.0.2'], Cookie: 'a=1; b=2' },
    });
    // THEN the handler got AWS's shape
    expect(answer.status).toBe(200);
    const event = events[0]!;
    expect(event).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/approvals/abc123',
      rawQueryString: 'approver=alice%40example.com&exp=1796212800&x=1&x=2',
      cookies: ['a=1', 'b=2'],
      headers: expect.objectContaining({ 'user-agent': 'test-agent/1.0', 'x-forwarded-for': '10.0.0.1,10.0.0.2', host: `127.0.0.1:${server.port}` }),
      queryStringParameters: { approver: 'alice@example.com', exp: '1796212800', x: '1,2' },
      requestContext: {
        accountId: 'anonymous',
        apiId: 'local',
        domainName: `127.0.0.1:${server.port}`,
        domainPrefix: '127',
        http: { method: 'GET', path: '/approvals/abc123', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent/1.0' },
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        routeKey: '$default',
        stage: '$default',
        time: '01/Dec/2026:13:41:28 +0000',
        timeEpoch: Date.UTC(2026, 11, 1, 13, 41, 28),
      },
      isBase64Encoded: false,
    });
    // AND no body, no cookie header
    expect(event).not.toHaveProperty('body');
    expect(event.headers).not.toHaveProperty('cookie');
    // AND the answer is the handler's body
    expect(JSON.parse(answer.body)).toEqual(event);
  });

  it('a path without a query has an empty rawQueryString and no queryStringParameters', async () => {
    await send(server.url, 'GET', '/approvals/abc123');
    expect(events[0]).toMatchObject({ rawPath: '/approvals/abc123', rawQueryString: '' });
    expect(events[0]).not.toHaveProperty('queryStringParameters');
  });

  it('a POSTed form reaches the handler base64-encoded (isBase64Encoded), a JSON body as text', async () => {
    // GIVEN the decision form, as a browser posts it
    const form = 'approver=alice%40example.com&decision=approve&comment=ok+%C3%A9';
    await send(server.url, 'POST', '/approvals/abc123', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
    // THEN it arrives as AWS delivers a non-text body
    expect(events[0]).toMatchObject({ requestContext: { http: { method: 'POST' } }, isBase64Encoded: true, headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }) });
    expect(Buffer.from(events[0]!.body!, 'base64').toString('utf8')).toBe(form);
    // AND a JSON body is passed as text
    await send(server.url, 'POST', '/approvals/abc123', { headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"é":1}' });
    expect(events[1]).toMatchObject({ body: '{"é":1}', isBase64Encoded: false });
  });

  it('HEAD and the other methods reach the handler with their method; a HEAD answer has the headers and no body', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']) await send(server.url, method, '/approvals/abc123');
    expect(events.map((event) => event.requestContext.http.method)).toEqual(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']);
    handler = async () => ({ statusCode: 405, headers: { Allow: 'GET, POST', 'Content-Type': 'text/html' }, body: '<p>no</p>' });
    const head = await send(server.url, 'HEAD', '/approvals/abc123');
    expect(events.at(-1)!.requestContext.http.method).toBe('HEAD');
    expect(head).toMatchObject({ status: 405, body: '', headers: { allow: 'GET, POST', 'content-type': 'text/html', 'content-length': '9' } });
  });

  it('writes a structured result back: status, headers, cookies, a base64 body decoded; anything else is a 200 JSON answer', async () => {
    handler = async () => ({ statusCode: 403, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, cookies: ['s=1; HttpOnly', 't=2'], body: Buffer.from('<h1>refusé</h1>').toString('base64'), isBase64Encoded: true });
    const structured = await send(server.url, 'GET', '/x');
    expect(structured).toMatchObject({ status: 403, body: '<h1>refusé</h1>', headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'set-cookie': ['s=1; HttpOnly', 't=2'] } });
    handler = async () => ({ ok: true });
    expect(await send(server.url, 'GET', '/x')).toMatchObject({ status: 200, body: '{"ok":true}', headers: { 'content-type': 'application/json' } });
  });

  it('a body over 6 MB gets 413 and never reaches the handler; one at the limit does', async () => {
    const over = await send(server.url, 'POST', '/approvals/abc123', { headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(MAX_REQUEST_BODY_BYTES + 1, 'a') });
    expect(over.status).toBe(413);
    expect(over.body).toContain(`smaller than ${MAX_REQUEST_BODY_BYTES} bytes`);
    expect(events).toHaveLength(0);
    handler = async (event) => ({ statusCode: 200, body: String(event.body?.length) });
    const at = await send(server.url, 'POST', '/approvals/abc123', { headers: { 'Content-Type': 'text/plain' }, body: Buffer.alloc(MAX_REQUEST_BODY_BYTES, 'a') });
    expect(at).toMatchObject({ status: 200, body: String(MAX_REQUEST_BODY_BYTES) });
  });

  it('a handler that throws gets 502 without its message; the error is logged', async () => {
    handler = async () => {
      throw new Error('the secret detail');
    };
    const answer = await send(server.url, 'GET', '/approvals/abc123?sig=s');
    expect(answer).toMatchObject({ status: 502, body: 'Internal Server Error' });
    expect(logged).toEqual([expect.stringContaining('GET /approvals/abc123) failed: Error: the secret detail')]);
  });
});

describe('startApprovalServer shutdown', () => {
  it('close lets a request in flight finish, then refuses new connections', async () => {
    // GIVEN a request held inside the handler
    const release = deferred();
    const entered = deferred();
    const server = await startApprovalServer({ handler: async () => (entered.resolve(), await release.promise, { statusCode: 200, body: 'done' }) });
    const inFlight = send(server.url, 'GET', '/slow');
    await entered.promise;
    // WHEN the server closes while it is held
    const closed = server.close({ drainMs: 10_000 });
    release.resolve();
    // THEN the request gets its answer and close resolves
    await expect(inFlight).resolves.toMatchObject({ status: 200, body: 'done' });
    await closed;
    // AND the port no longer answers
    await expect(send(server.url, 'GET', '/after')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('close drops a request still in flight after drainMs', async () => {
    const entered = deferred();
    const server = await startApprovalServer({ handler: async () => (entered.resolve(), new Promise(() => undefined)) });
    const inFlight = send(server.url, 'GET', '/hung');
    await entered.promise;
    const started = Date.now();
    await server.close({ drainMs: 50 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(inFlight).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('a port in use is a PortInUseError naming the approval page', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(startApprovalServer({ port, handler: async () => ({}) })).rejects.toThrow(PortInUseError);
      await expect(startApprovalServer({ port, handler: async () => ({}) })).rejects.toThrow(`port ${port} on 127.0.0.1 (approval page) is in use`);
    } finally {
      blocker.close();
    }
  });
});
