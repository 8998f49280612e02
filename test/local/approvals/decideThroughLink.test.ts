import { LinkDecisionError } from '../../../local/approvals/errors';
import { decideThroughLink } from '../../../local/approvals/decideThroughLink';
import type { FunctionUrlEvent } from '../../../local/approvals/functionUrlEvent';
import { startApprovalServer, type ApprovalServer, type FunctionUrlHandler } from '../../../local/approvals/startApprovalServer';

const FORM = `<form method="post" action="/approvals/q3J0">
  <input type="hidden" name="approver" value="demo-approver@example.com"><input type="hidden" name="exp" value="1796212800">
  <input type="hidden" name="sig" value="S1g"><input type="hidden" name="csrf" value="C5rf">
  <textarea name="comment"></textarea>
  <button name="decision" value="approve">Approve</button><button name="decision" value="reject">Reject</button></form>`;

describe('decideThroughLink', () => {
  const seen: FunctionUrlEvent[] = [];
  let page: FunctionUrlHandler;
  let server: ApprovalServer;
  beforeAll(async () => {
    server = await startApprovalServer({ handler: (event) => (seen.push(event), page(event)) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    page = async (event) =>
      event.requestContext.http.method === 'GET'
        ? { statusCode: 200, headers: { 'content-type': 'text/html' }, cookies: ['sess=abc; HttpOnly; Path=/'], body: FORM }
        : { statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><html><head><title>Approved</title><style>h1 { color: green }</style></head><body><h1>Approved</h1><p>the run continues</p></body></html>' };
  });
  const link = () => `${server.url}/approvals/q3J0?approver=demo-approver%40example.com&exp=1796212800&sig=S1g`;

  it('GETs the link, then POSTs its form with the chosen decision and the comment, as a browser would', async () => {
    const answer = await decideThroughLink(link(), { decision: 'approve', comment: 'unattended demo', userAgent: 'backfill-npm-start/0.1.0' });
    expect(answer).toEqual({ status: 200, text: 'Approved the run continues' });
    // THEN the GET carried no decision, the POST the form's fields, the decision and the comment
    expect(seen.map((e) => [e.requestContext.http.method, e.rawPath, e.rawQueryString])).toEqual([
      ['GET', '/approvals/q3J0', 'approver=demo-approver%40example.com&exp=1796212800&sig=S1g'],
      ['POST', '/approvals/q3J0', ''],
    ]);
    const post = seen[1]!;
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect([...new URLSearchParams(Buffer.from(post.body!, 'base64').toString('utf8'))]).toEqual([
      ['approver', 'demo-approver@example.com'], ['exp', '1796212800'], ['sig', 'S1g'], ['csrf', 'C5rf'], ['decision', 'approve'], ['comment', 'unattended demo'],
    ]);
    // AND both requests name the unattended approver's user agent; the page's cookie came back
    expect(seen.map((e) => e.requestContext.http.userAgent)).toEqual(['backfill-npm-start/0.1.0', 'backfill-npm-start/0.1.0']);
    expect(post.cookies).toEqual(['sess=abc']);
  });

  it('rejects as asked', async () => {
    await decideThroughLink(link(), { decision: 'reject', comment: 'no', userAgent: 'ua' });
    expect(new URLSearchParams(Buffer.from(seen[1]!.body!, 'base64').toString('utf8')).get('decision')).toBe('reject');
  });

  it('a page that refuses the link is a LinkDecisionError with its status and text; nothing is posted', async () => {
    page = async () => ({ statusCode: 403, headers: { 'content-type': 'text/html' }, body: '<h1>Link refused</h1><p>the signature does not match</p>' });
    const decided = decideThroughLink(link(), { decision: 'approve', userAgent: 'ua' });
    await expect(decided).rejects.toThrow(LinkDecisionError);
    await expect(decided).rejects.toThrow('the page answered 403: Link refused the signature does not match');
    expect(seen.every((e) => e.requestContext.http.method === 'GET')).toBe(true);
  });

  it('a page without a decision form, and a refused POST, are LinkDecisionErrors', async () => {
    page = async () => ({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<p>The run no longer waits for this approval.</p>' });
    await expect(decideThroughLink(link(), { decision: 'approve', userAgent: 'ua' })).rejects.toThrow('the page has no form that can approve');
    page = async (event) => (event.requestContext.http.method === 'GET' ? { statusCode: 200, body: FORM } : { statusCode: 409, body: '<p>already decided</p>' });
    await expect(decideThroughLink(link(), { decision: 'approve', userAgent: 'ua' })).rejects.toThrow('the page refused the decision with 409: already decided');
  });
});
