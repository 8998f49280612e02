import { randomBytes } from 'node:crypto';

/** 128 random bits: an approval id cannot be guessed, so knowing one run's approval says nothing of another's. */
const APPROVAL_ID_BYTES = 16;

/**
 * A new random approval id: 16 random bytes, base64url (22 characters).
 *
 * @example
 * newApprovalId(); // 'q3J0m9x4T1Wc8YbZ2aK7dA'
 */
export function newApprovalId(): string {
  return randomBytes(APPROVAL_ID_BYTES).toString('base64url');
}
