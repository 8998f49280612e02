import { timingSafeEqual } from 'node:crypto';
import { CsrfTokenError } from './errors';
import { ApprovalSubjectSchema, isMacShaped, parseOrRefuse, type ApprovalSubject } from './fields';
import { mac } from './keys';

/**
 * The CSRF token the evidence page's form carries for this approval and approver: an HMAC under a
 * key derived separately from the link key, so a link's signature is never a valid token.
 *
 * @example
 * const token = csrfToken({ approvalId: grant.approvalId, approver: grant.approver }, key);
 * // <input type="hidden" name="csrf" value="${token}">
 */
export function csrfToken(subject: ApprovalSubject, key: Buffer): string {
  const { approvalId, approver } = parseOrRefuse(ApprovalSubjectSchema, subject);
  return mac(key, 'csrf', [approvalId, approver]);
}

/**
 * Checks the token a decision form posted against the one issued for this approval and approver.
 *
 * @throws CsrfTokenError the token is missing, not shaped like one we issue, or issued for another approval or approver
 * @example
 * verifyCsrfToken({ approvalId: grant.approvalId, approver: grant.approver }, form.get('csrf'), key);
 */
export function verifyCsrfToken(subject: ApprovalSubject, token: unknown, key: Buffer): void {
  const { approvalId, approver } = parseOrRefuse(ApprovalSubjectSchema, subject);
  if (token === undefined || token === null || token === '') throw new CsrfTokenError(approvalId, approver, 'missing', token);
  if (!isMacShaped(token)) throw new CsrfTokenError(approvalId, approver, 'malformed', token);
  const expected = Buffer.from(csrfToken({ approvalId, approver }, key), 'ascii');
  const given = Buffer.from(token, 'ascii');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CsrfTokenError(approvalId, approver, 'wrong', token);
}
