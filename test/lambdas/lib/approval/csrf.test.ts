import { CsrfTokenError, MalformedLinkError, approvalLink, csrfToken, newApprovalId, verifyCsrfToken } from '../../../../lambdas/lib/approval';

const key = Buffer.alloc(32, 7);
const alice = { approvalId: 'q3J0m9x4T1Wc8YbZ2aK7dA', approver: 'alice@example.com' };

describe('csrfToken', () => {
  it('is a 43-character base64url MAC, the same for the same approval, approver and key', () => {
    expect(csrfToken(alice, key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfToken(alice, key)).toBe(csrfToken({ ...alice }, key));
    expect(csrfToken(alice, Buffer.alloc(32, 8))).not.toBe(csrfToken(alice, key));
  });

  it('refuses a malformed approver, naming it', () => {
    expect(() => csrfToken({ ...alice, approver: 'a\nb@example.com' }, key)).toThrow(MalformedLinkError);
  });
});

describe('verifyCsrfToken', () => {
  it('accepts the token issued for this approval and approver', () => {
    expect(() => verifyCsrfToken(alice, csrfToken(alice, key), key)).not.toThrow();
  });

  it("refuses another approver's token", () => {
    const bobs = csrfToken({ ...alice, approver: 'bob@example.com' }, key);
    expect(() => verifyCsrfToken(alice, bobs, key)).toThrow(expect.objectContaining({ name: 'CsrfTokenError', problem: 'wrong' }) as Error);
  });

  it("refuses another approval's token", () => {
    const other = csrfToken({ ...alice, approvalId: newApprovalId() }, key);
    expect(() => verifyCsrfToken(alice, other, key)).toThrow(expect.objectContaining({ problem: 'wrong' }) as Error);
  });

  it("refuses the link's own signature used as a CSRF token", () => {
    // GIVEN alice's genuine link for this approval
    const link = approvalLink({ baseUrl: 'https://x.example.com', ...alice, expiresAt: new Date('2026-12-02T12:00:00Z') }, key);
    const sig = new URL(link).searchParams.get('sig') ?? '';
    // WHEN its signature is posted as the form's token THEN it is refused as wrong
    expect(() => verifyCsrfToken(alice, sig, key)).toThrow(expect.objectContaining({ problem: 'wrong' }) as Error);
  });

  it('no field bleeds into the next: a token for (id + "b", "ob@…") is not one for (id, "bob@…")', () => {
    const shifted = csrfToken({ approvalId: `${alice.approvalId}b`, approver: 'ob@example.com' }, key);
    expect(() => verifyCsrfToken({ approvalId: alice.approvalId, approver: 'bob@example.com' }, shifted, key)).toThrow(CsrfTokenError);
  });

  it('refuses every single-character change of the token, the last character (2 unused bits) included', () => {
    const token = csrfToken(alice, key);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const bit0Flipped = alphabet[alphabet.indexOf(token[i] ?? 'A') ^ 1] ?? 'A';
      const altered = token.slice(0, i) + bit0Flipped + token.slice(i + 1);
      expect(() => verifyCsrfToken(alice, altered, key)).toThrow(CsrfTokenError);
    }
  });

  it.each<[string, string, unknown]>([
    ['no token', 'missing', undefined],
    ['an empty token', 'missing', ''],
    ['a token of the wrong length', 'malformed', 'abc'],
    ['a token that is not text', 'malformed', 42],
    ['a 1 MB token', 'malformed', 'a'.repeat(1024 * 1024)],
  ])('refuses %s as %s, without echoing it', (_, problem, token) => {
    const verify = () => verifyCsrfToken(alice, token, key);
    expect(verify).toThrow(expect.objectContaining({ name: 'CsrfTokenError', problem, approvalId: alice.approvalId }) as Error);
    expect(verify).toThrow(`has a ${problem} CSRF token`);
    try {
      verify();
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(300);
    }
  });
});
