import { createHmac } from 'node:crypto';
import { ApprovalKeyError } from '../../../../lambdas/lib/approval';
import { deriveKey, mac } from '../../../../lambdas/lib/approval/keys';

const secret = Buffer.alloc(32, 7);

describe('deriveKey', () => {
  it('gives the link and the CSRF token distinct 32-byte keys, neither the secret itself', () => {
    const link = deriveKey(secret, 'link');
    const csrf = deriveKey(secret, 'csrf');
    expect(link).toHaveLength(32);
    expect(link.equals(csrf)).toBe(false);
    expect(link.equals(secret) || csrf.equals(secret)).toBe(false);
  });

  it('refuses a secret shorter than 32 bytes, saying how to make one', () => {
    expect(() => deriveKey(Buffer.alloc(0), 'csrf')).toThrow(ApprovalKeyError);
    expect(() => deriveKey(Buffer.alloc(16), 'link')).toThrow('Approval signing key must be at least 32 bytes, got 16; generate one with 32 random bytes');
  });
});

describe('mac', () => {
  it('is not the MAC of the same fields under the raw secret', () => {
    // a MAC under the raw secret would let any other use of the secret forge approval links
    const raw = createHmac('sha256', secret).update(JSON.stringify(['backfill-approval/link/v1', 'id', 'a@example.com'])).digest('base64url');
    expect(mac(secret, 'link', ['id', 'a@example.com'])).not.toBe(raw);
  });

  it('differs between purposes for the same fields', () => {
    expect(mac(secret, 'link', ['id', 'a@example.com'])).not.toBe(mac(secret, 'csrf', ['id', 'a@example.com']));
  });
});
