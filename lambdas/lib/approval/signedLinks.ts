import { timingSafeEqual } from 'node:crypto';
import { ExpiredLinkError, ForgedLinkError, MalformedLinkError } from './errors';
import { ApprovalLinkPartsSchema, ApprovalSubjectSchema, parseOrRefuse, type ApprovalLinkParts } from './fields';
import { mac } from './keys';

/** Longer than any link we issue (base URL + 22-char id + 254-char approver + expiry + signature); refused unparsed. */
const MAX_LINK_CHARS = 2048;
const LINK_PARAMS = ['approver', 'exp', 'sig'] as const;
/** Building a link fails on our own inputs, never on a reader's. */
const BUILD_HINT = "check spec.approval.approvers, the approval id and the approval function's base URL";

/** What an approval link grants: this approver may decide this approval until the expiry. */
export interface ApprovalLinkGrant {
  readonly approvalId: string;
  readonly approver: string;
  /** Whole seconds; a fraction given to approvalLink is dropped (the link expires up to 1 s earlier). */
  readonly expiresAt: Date;
}

/** What approvalLink needs: where the approval function is served, and the grant to sign. */
export interface ApprovalLinkRequest extends ApprovalLinkGrant {
  /** The approval function's URL (Function URL or HTTP API stage), http(s), without query. */
  readonly baseUrl: string;
}

const expirySeconds = (expiresAt: Date): string => {
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new MalformedLinkError('expiresAt', `must be a valid date after 1970, got ${String(expiresAt)}`, undefined, { hint: BUILD_HINT });
  }
  return String(seconds);
};

const signatureOf = (key: Buffer, parts: Pick<ApprovalLinkParts, 'approvalId' | 'approver' | 'exp'>): string =>
  mac(key, 'link', [parts.approvalId, parts.approver, parts.exp]);

/**
 * Builds one approver's signed link: `<baseUrl>/approvals/<id>?approver=…&exp=<unix seconds>&sig=<HMAC-SHA256, base64url>`.
 *
 * @example
 * approvalLink({ baseUrl: 'https://abc.lambda-url.eu-west-1.on.aws', approvalId: newApprovalId(), approver: 'alice@example.com', expiresAt: new Date('2026-12-02T12:00:00Z') }, key);
 * // 'https://abc.lambda-url.eu-west-1.on.aws/approvals/q3J0…?approver=alice%40example.com&exp=1796212800&sig=…'
 */
export function approvalLink(request: ApprovalLinkRequest, key: Buffer): string {
  const { approvalId, approver } = parseOrRefuse(ApprovalSubjectSchema, request, BUILD_HINT);
  const exp = expirySeconds(request.expiresAt);
  let url: URL;
  try {
    url = new URL(request.baseUrl);
  } catch (cause) {
    throw new MalformedLinkError('baseUrl', `must be an absolute http(s) URL, got ${JSON.stringify(request.baseUrl)}`, approvalId, { cause, hint: BUILD_HINT });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new MalformedLinkError('baseUrl', `must be an http(s) URL without query or fragment, got ${JSON.stringify(request.baseUrl)}`, approvalId, { hint: BUILD_HINT });
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/approvals/${approvalId}`;
  url.searchParams.set('approver', approver);
  url.searchParams.set('exp', exp);
  url.searchParams.set('sig', signatureOf(key, { approvalId, approver, exp }));
  return url.toString();
}

/** Splits a link into its parts, refusing anything but exactly one approver, exp and sig on an /approvals/<id> path. */
function partsOfUrl(link: string): Record<string, string> {
  if (link.length > MAX_LINK_CHARS) throw new MalformedLinkError('link', `must be at most ${MAX_LINK_CHARS} characters, got ${link.length}`);
  let url: URL;
  try {
    url = new URL(link);
  } catch (cause) {
    throw new MalformedLinkError('link', 'is not an absolute URL', undefined, { cause });
  }
  const id = /\/approvals\/([^/]*)$/.exec(url.pathname)?.[1];
  if (id === undefined) throw new MalformedLinkError('link', `path must end in /approvals/<id>, got ${JSON.stringify(url.pathname.slice(0, 200))}`);
  const parts: Record<string, string> = { approvalId: id };
  for (const [name, value] of url.searchParams) {
    if (!(LINK_PARAMS as readonly string[]).includes(name)) throw new MalformedLinkError(`query parameter ${JSON.stringify(name.slice(0, 40))}`, 'is not part of an approval link');
    if (name in parts) throw new MalformedLinkError(`query parameter ${name}`, 'appears more than once');
    parts[name] = value;
  }
  return parts;
}

/**
 * Verifies an approval link (the whole URL, or its parts as an HTTP request delivers them) and returns its grant.
 * The signature is checked before the expiry, so an altered expiry reads as forged, never as expired.
 *
 * @throws MalformedLinkError a part is missing, repeated, too long or badly spelled (checked before any hashing)
 * @throws ForgedLinkError the signature does not match the id, approver and expiry
 * @throws ExpiredLinkError `nowMs` is at or after the expiry
 * @example
 * const grant = verifyApprovalLink(event.rawUrl, key, clock.nowMs());
 * // { approvalId: 'q3J0…', approver: 'alice@example.com', expiresAt: 2026-12-02T12:00:00.000Z }
 */
export function verifyApprovalLink(link: string | Partial<Record<keyof ApprovalLinkParts, unknown>>, key: Buffer, nowMs: number): ApprovalLinkGrant {
  const parts = parseOrRefuse(ApprovalLinkPartsSchema, typeof link === 'string' ? partsOfUrl(link) : link);
  const expected = Buffer.from(signatureOf(key, parts), 'ascii');
  const given = Buffer.from(parts.sig, 'ascii');
  // Compare the base64url text, not decoded bytes: the 43rd character carries 2 unused bits, so
  // decoding would accept four spellings of one signature.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ForgedLinkError(parts.approvalId, parts.approver);
  const expiresAt = new Date(Number(parts.exp) * 1000);
  if (nowMs >= expiresAt.getTime()) throw new ExpiredLinkError(parts.approvalId, parts.approver, expiresAt, new Date(nowMs));
  return { approvalId: parts.approvalId, approver: parts.approver, expiresAt };
}
