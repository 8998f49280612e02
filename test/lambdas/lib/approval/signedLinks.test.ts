import {
  ApprovalError,
  ApprovalKeyError,
  ExpiredLinkError,
  ForgedLinkError,
  MalformedLinkError,
  approvalLink,
  newApprovalId,
  verifyApprovalLink,
} from '../../../../lambdas/lib/approval';

const key = Buffer.alloc(32, 7);
const baseUrl = 'https://abc.lambda-url.eu-west-1.on.aws';
const approvalId = 'q3J0m9x4T1Wc8YbZ2aK7dA';
const expiresAt = new Date('2026-12-02T12:00:00Z');
const beforeExpiryMs = expiresAt.getTime() - 60_000;
const linkFor = (approver: string, overrides: { approvalId?: string; expiresAt?: Date; key?: Buffer } = {}): string =>
  approvalLink({ baseUrl, approvalId: overrides.approvalId ?? approvalId, approver, expiresAt: overrides.expiresAt ?? expiresAt }, overrides.key ?? key);

/** Every other character of the same alphabet at one position, so the result stays well-formed. */
const substitutions = (value: string, alphabet: string): string[] =>
  [...value].flatMap((char, i) => {
    const other = alphabet[(alphabet.indexOf(char) + 1) % alphabet.length] ?? 'A';
    return [value.slice(0, i) + other + value.slice(i + 1)];
  });
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const withParam = (link: string, name: string, value: string): string => {
  const url = new URL(link);
  url.searchParams.set(name, value);
  return url.toString();
};
const withId = (link: string, id: string): string => link.replace(`/approvals/${approvalId}?`, `/approvals/${id}?`);

describe('approvalLink', () => {
  it('builds <baseUrl>/approvals/<id>?approver=&exp=&sig= with exp in Unix seconds', () => {
    const url = new URL(linkFor('alice+ops@example.com'));
    expect(url.origin + url.pathname).toBe(`${baseUrl}/approvals/${approvalId}`);
    expect([...url.searchParams.keys()]).toEqual(['approver', 'exp', 'sig']);
    expect(url.searchParams.get('approver')).toBe('alice+ops@example.com');
    expect(url.searchParams.get('exp')).toBe(String(expiresAt.getTime() / 1000));
    expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps a base path (an HTTP API stage) and drops a trailing slash', () => {
    const url = new URL(approvalLink({ baseUrl: 'https://api.example.com/prod/', approvalId, approver: 'a@example.com', expiresAt }, key));
    expect(url.pathname).toBe(`/prod/approvals/${approvalId}`);
  });

  it('is deterministic for the same grant and key, and differs for another key', () => {
    expect(linkFor('alice@example.com')).toBe(linkFor('alice@example.com'));
    expect(linkFor('alice@example.com', { key: Buffer.alloc(32, 8) })).not.toBe(linkFor('alice@example.com'));
  });

  it.each([
    ['a base URL with a query', { baseUrl: 'https://x.example.com/?a=1' }, 'baseUrl'],
    ['a relative base URL', { baseUrl: '/approvals' }, 'baseUrl'],
    ['a non-http base URL', { baseUrl: 'javascript:alert(1)' }, 'baseUrl'],
    ['an invalid expiry', { expiresAt: new Date(Number.NaN) }, 'expiresAt'],
    ['a short approval id', { approvalId: 'abc' }, 'approvalId'],
    ['an approver with a space', { approver: 'alice @example.com' }, 'approver'],
  ])('refuses %s, naming the field', (_, override, field) => {
    const build = () => approvalLink({ baseUrl, approvalId, approver: 'alice@example.com', expiresAt, ...override }, key);
    expect(build).toThrow(MalformedLinkError);
    expect(build).toThrow(expect.objectContaining({ field }) as Error);
    // the builder's inputs are ours (spec, id, deployment), so the advice points there, not at the reader
    expect(build).toThrow("check spec.approval.approvers, the approval id and the approval function's base URL");
  });

  it('refuses a key shorter than 32 bytes', () => {
    expect(() => linkFor('alice@example.com', { key: Buffer.alloc(31, 7) })).toThrow(ApprovalKeyError);
    expect(() => linkFor('alice@example.com', { key: Buffer.alloc(31, 7) })).toThrow('at least 32 bytes, got 31');
  });
});

describe('verifyApprovalLink', () => {
  const link = linkFor('alice@example.com');

  it('round trip: returns the grant the link was built from', () => {
    expect(verifyApprovalLink(link, key, beforeExpiryMs)).toEqual({ approvalId, approver: 'alice@example.com', expiresAt });
  });

  it('accepts the parts as an HTTP request delivers them', () => {
    const url = new URL(link);
    const parts = { approvalId, approver: url.searchParams.get('approver'), exp: url.searchParams.get('exp'), sig: url.searchParams.get('sig') };
    expect(verifyApprovalLink(parts, key, beforeExpiryMs).approver).toBe('alice@example.com');
  });

  it('round trip for an id from newApprovalId and an approver with URL-special characters', () => {
    const id = newApprovalId();
    const approver = 'bob+a&b=c%20@example.com';
    const grant = verifyApprovalLink(linkFor(approver, { approvalId: id }), key, beforeExpiryMs);
    expect(grant).toEqual({ approvalId: id, approver, expiresAt });
  });

  it('refuses a link signed with another key as forged', () => {
    expect(() => verifyApprovalLink(link, Buffer.alloc(32, 8), beforeExpiryMs)).toThrow(ForgedLinkError);
  });

  it('refuses every single-character change of the id as forged', () => {
    for (const id of substitutions(approvalId, BASE64URL)) {
      expect(() => verifyApprovalLink(withId(link, id), key, beforeExpiryMs)).toThrow(ForgedLinkError);
    }
  });

  it('refuses every single-character change of the approver as forged', () => {
    const approver = 'alice@example.com';
    const alphabet = 'abcdefghijklmnopqrstuvwxyz@.';
    for (const altered of substitutions(approver, alphabet)) {
      expect(() => verifyApprovalLink(withParam(link, 'approver', altered), key, beforeExpiryMs)).toThrow(ForgedLinkError);
    }
  });

  it('refuses every single-character change of the expiry (a later one included) as forged, not expired', () => {
    const exp = new URL(link).searchParams.get('exp') ?? '';
    const altered = substitutions(exp, '123456789');
    expect(altered.some((e) => Number(e) > Number(exp))).toBe(true);
    for (const e of altered) {
      expect(() => verifyApprovalLink(withParam(link, 'exp', e), key, beforeExpiryMs)).toThrow(ForgedLinkError);
    }
  });

  it('refuses every single-character change of the signature as forged, the last character (2 unused bits) included', () => {
    const sig = new URL(link).searchParams.get('sig') ?? '';
    for (const s of substitutions(sig, BASE64URL)) {
      expect(() => verifyApprovalLink(withParam(link, 'sig', s), key, beforeExpiryMs)).toThrow(ForgedLinkError);
    }
    // GIVEN a last character differing only in the unused bits (decodes to the same 32 bytes)
    const last = sig.at(-1) ?? 'A';
    const sameBytes = BASE64URL[BASE64URL.indexOf(last) ^ 1] ?? 'A';
    const twin = sig.slice(0, -1) + sameBytes;
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    // THEN it is still refused
    expect(() => verifyApprovalLink(withParam(link, 'sig', twin), key, beforeExpiryMs)).toThrow(ForgedLinkError);
  });

  it("refuses a signature moved from one approver's link to another's", () => {
    const bobSig = new URL(linkFor('bob@example.com')).searchParams.get('sig') ?? '';
    expect(() => verifyApprovalLink(withParam(link, 'sig', bobSig), key, beforeExpiryMs)).toThrow(ForgedLinkError);
  });

  it('no field bleeds into the next: a signature for (id, "alice@example.com1", 796212800) is not one for (id, "alice@example.com", 1796212800)', () => {
    // GIVEN a genuine link whose approver ends in a digit and whose expiry has passed
    const genuine = linkFor('alice@example.com1', { expiresAt: new Date(796_212_800_000) });
    const sig = new URL(genuine).searchParams.get('sig') ?? '';
    // WHEN the digit is moved from the approver to the expiry (a later one), keeping the signature
    const shifted = withParam(withParam(genuine, 'approver', 'alice@example.com'), 'exp', '1796212800');
    expect(new URL(shifted).searchParams.get('sig')).toBe(sig);
    // THEN it is forged
    expect(() => verifyApprovalLink(shifted, key, beforeExpiryMs)).toThrow(ForgedLinkError);
    // and likewise a character moved from the id to the approver
    const longId = `${approvalId}b`;
    const idSig = new URL(linkFor('ob@example.com', { approvalId: longId })).searchParams.get('sig') ?? '';
    expect(() => verifyApprovalLink({ approvalId, approver: 'bob@example.com', exp: '1796212800', sig: idSig }, key, beforeExpiryMs)).toThrow(ForgedLinkError);
  });

  it('refuses a signature moved from another approval', () => {
    const otherSig = new URL(linkFor('alice@example.com', { approvalId: newApprovalId() })).searchParams.get('sig') ?? '';
    expect(() => verifyApprovalLink(withParam(link, 'sig', otherSig), key, beforeExpiryMs)).toThrow(ForgedLinkError);
  });

  it('expiry boundary: valid 1 ms before the expiry, expired at it and after', () => {
    const at = expiresAt.getTime();
    expect(verifyApprovalLink(link, key, at - 1).approvalId).toBe(approvalId);
    expect(() => verifyApprovalLink(link, key, at)).toThrow(ExpiredLinkError);
    expect(() => verifyApprovalLink(link, key, at + 1)).toThrow('expired at 2026-12-02T12:00:00.000Z');
  });

  it('drops a fraction of a second from the expiry (the link expires early, never late)', () => {
    const late = linkFor('alice@example.com', { expiresAt: new Date(expiresAt.getTime() + 999) });
    expect(() => verifyApprovalLink(late, key, expiresAt.getTime())).toThrow(ExpiredLinkError);
  });

  it.each<[string, (l: string) => string, string]>([
    ['a missing sig', (l) => l.replace(/&sig=[^&]*/, ''), 'sig'],
    ['a missing approver', (l) => l.replace(/approver=[^&]*&/, ''), 'approver'],
    ['an empty exp', (l) => withParam(l, 'exp', ''), 'exp'],
    ['an exp with a leading zero', (l) => withParam(l, 'exp', `0${new URL(l).searchParams.get('exp') ?? ''}`), 'exp'],
    ['an exp that is not digits', (l) => withParam(l, 'exp', '1e12'), 'exp'],
    ['a repeated approver', (l) => `${l}&approver=bob%40example.com`, 'query parameter approver'],
    ['a decision parameter', (l) => `${l}&decision=approve`, 'query parameter "decision"'],
    ['a path that is not /approvals/<id>', (l) => l.replace('/approvals/', '/approval/'), 'link'],
    ['an id with a character outside base64url', (l) => withId(l, `${approvalId.slice(0, -1)}%2B`), 'approvalId'],
    ['a sig of the wrong length', (l) => withParam(l, 'sig', 'abc'), 'sig'],
    ['not a URL', () => 'approvals/abc', 'link'],
  ])('refuses %s as malformed, naming the field', (_, alter, field) => {
    const verify = () => verifyApprovalLink(alter(link), key, beforeExpiryMs);
    expect(verify).toThrow(MalformedLinkError);
    expect(verify).toThrow(expect.objectContaining({ field }) as Error);
    expect(verify).toThrow('open the link exactly as it arrived in the approval email');
  });

  it('bounded input: a 1 MB approver is refused as malformed before anything is hashed', () => {
    const huge = 'a'.repeat(1024 * 1024);
    const url = new URL(link);
    const parts = { approvalId, approver: huge, exp: url.searchParams.get('exp'), sig: url.searchParams.get('sig') };
    const keyThatThrowsIfUsed = new Proxy(key, {
      get: () => {
        throw new Error('the key was used');
      },
    });
    expect(() => verifyApprovalLink(parts, keyThatThrowsIfUsed, beforeExpiryMs)).toThrow(MalformedLinkError);
    expect(() => verifyApprovalLink(parts, key, beforeExpiryMs)).toThrow('approver must be at most 254 characters, got 1048576');
    expect(() => verifyApprovalLink(withParam(link, 'approver', huge), keyThatThrowsIfUsed, beforeExpiryMs)).toThrow(
      expect.objectContaining({ name: 'MalformedLinkError', field: 'link' }) as Error,
    );
  });

  it('every refusal is an ApprovalError that does not echo an oversized value', () => {
    const huge = 'x'.repeat(5000);
    try {
      verifyApprovalLink({ approvalId, approver: 'a@example.com', exp: '1796212800', sig: huge }, key, beforeExpiryMs);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ApprovalError);
      expect((error as Error).message).toContain('a 5000-character value');
      expect((error as Error).message.length).toBeLessThan(300);
    }
  });
});

describe('newApprovalId', () => {
  it('is 128 random bits in base64url (22 characters), different each time', () => {
    const ids = Array.from({ length: 1000 }, () => newApprovalId());
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
