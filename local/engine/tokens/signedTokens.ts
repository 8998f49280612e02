import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const RANDOM_BYTES = 16;
const TIME_BYTES = 8;
const MAC_BYTES = 24;
/** 16 random + 8 issue time + 24 MAC = 48 bytes: 64 base64url characters after the prefix. */
export const TOKEN_BODY_BYTES = RANDOM_BYTES + TIME_BYTES + MAC_BYTES;

/**
 * Task tokens that prove they were issued here: random bytes and the issue time, signed with an
 * HMAC-SHA256 key that exists only in this process (a new one per instance). So a token whose
 * task was closed long ago and forgotten is still told apart from one never issued, without
 * remembering every token ever issued.
 *
 * @example
 *   const signer = new TokenSigner('LT1');
 *   const token = signer.issue(Date.now());
 *   signer.issuedAt(token); // the issue time in epoch ms; undefined for a token not signed by this signer
 */
export class TokenSigner {
  private readonly key = randomBytes(32);

  constructor(private readonly prefix: string) {}

  issue(nowMs: number): string {
    const body = Buffer.alloc(RANDOM_BYTES + TIME_BYTES);
    randomBytes(RANDOM_BYTES).copy(body);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.trunc(nowMs))), RANDOM_BYTES);
    return this.prefix + Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** When this signer issued the token (epoch ms), or undefined when it did not (forged, altered, another process's). */
  issuedAt(token: string): number | undefined {
    const bytes = Buffer.from(token.slice(this.prefix.length), 'base64url');
    if (!token.startsWith(this.prefix) || bytes.length !== TOKEN_BODY_BYTES) return undefined;
    const body = bytes.subarray(0, RANDOM_BYTES + TIME_BYTES);
    if (!timingSafeEqual(bytes.subarray(RANDOM_BYTES + TIME_BYTES), this.mac(body))) return undefined;
    return Number(body.readBigUInt64BE(RANDOM_BYTES));
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
