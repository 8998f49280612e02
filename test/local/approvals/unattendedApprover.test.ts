import { parseCliOptions } from '../../../local/cli/options';
import { UsageError } from '../../../local/cli/errors';
import { LinkDecisionError } from '../../../local/approvals/errors';
import type { FunctionUrlEvent } from '../../../local/approvals/functionUrlEvent';
import { startApprovalServer, type ApprovalServer, type FunctionUrlHandler } from '../../../local/approvals/startApprovalServer';
import { UNATTENDED_COMMENT, unattendedApprover } from '../../../local/approvals/unattendedApprover';

const FORM = `<form method="post" action="/approvals/q3"><input type="hidden" name="approver" value="demo-approver@example.com">
  <input type="hidden" name="csrf" value="c"><button name="decision" value="approve">Approve</button><button name="decision" value="reject">Reject</button></form>`;

describe('unattendedApprover', () => {
  const seen: FunctionUrlEvent[] = [];
  let page: FunctionUrlHandler;
  let server: ApprovalServer;
  beforeAll(async () => {
    server = await startApprovalServer({ handler: (event) => (seen.push(event), page(event)) });
  });
  afterAll(() => server.close());

  it('approves each delivered link through the page, with its user agent and comment, and says so', async () => {
    seen.length = 0;
    page = async (event) => (event.requestContext.http.method === 'GET' ? { statusCode: 200, body: FORM } : { statusCode: 200, body: '<h1>Approved: the run goes on</h1>' });
    const notes: string[] = [];
    const approver = unattendedApprover({ userAgent: 'backfill-npm-start/test (unattended demo approver)', note: (line) => notes.push(line) });
    approver.onMessage({ approver: 'demo-approver@example.com', link: `${server.url}/approvals/q3?approver=demo-approver%40example.com&exp=1&sig=s`, file: '/x.json' });
    await approver.settle();
    expect(seen.map((e) => e.requestContext.http.method)).toEqual(['GET', 'POST']);
    const form = new URLSearchParams(Buffer.from(seen[1]!.body!, 'base64').toString('utf8'));
    expect(form.get('decision')).toBe('approve');
    expect(form.get('comment')).toBe(UNATTENDED_COMMENT);
    expect(seen[1]!.requestContext.http.userAgent).toBe('backfill-npm-start/test (unattended demo approver)');
    expect(notes).toEqual(['approved as demo-approver@example.com through the approval page (unattended): Approved: the run goes on']);
  });

  it('a decision the page refuses rejects `failed` with the LinkDecisionError', async () => {
    page = async () => ({ statusCode: 403, body: '<p>Link refused</p>' });
    const approver = unattendedApprover({ userAgent: 'ua', note: () => undefined });
    approver.onMessage({ approver: 'a@example.com', link: `${server.url}/approvals/q3?approver=a&exp=1&sig=s`, file: '/x.json' });
    await expect(approver.failed).rejects.toThrow(LinkDecisionError);
    await approver.settle();
  });

  it('a message without a link is left alone', async () => {
    seen.length = 0;
    const approver = unattendedApprover({ userAgent: 'ua', note: () => undefined });
    approver.onMessage({ approver: 'a@example.com', file: '/x.json' });
    await approver.settle();
    expect(seen).toEqual([]);
  });
});

describe('npm start --approval', () => {
  it('is auto unless manual is asked for; anything else is a usage error', () => {
    expect(parseCliOptions([]).approval).toBe('auto');
    expect(parseCliOptions(['--approval', 'manual']).approval).toBe('manual');
    expect(() => parseCliOptions(['--approval', 'yes'])).toThrow(new UsageError('--approval must be auto or manual, got "yes"'));
    expect(() => parseCliOptions(['--dump', 'x', '--data-dir', '/nonexistent', '--approval', 'manual'])).toThrow('--approval has no effect with --dump');
  });
});
