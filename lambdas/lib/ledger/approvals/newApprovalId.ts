import { randomBytes } from 'node:crypto';

/**
 * A fresh approval id: 128 random bits, base64url (22 characters), safe in a URL path.
 * @example
 *   newApprovalId(); // 'x3Pq0v9yZ8bK1mN2oR4sTw'
 */
export function newApprovalId(): string {
  return randomBytes(16).toString('base64url');
}
