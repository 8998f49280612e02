import { createHmac } from 'node:crypto';
import { ApprovalKeyError } from './errors';

/** Shorter keys are guessable; 32 bytes matches HMAC-SHA256's output and the generated secret. */
export const MINIMUM_KEY_BYTES = 32;

/** What a derived key is used for; each purpose gets its own key so a MAC for one is never valid for another. */
export type KeyPurpose = 'link' | 'csrf';

/**
 * Derives the key for one purpose from the approval secret (HMAC-SHA256 of a purpose label).
 *
 * @example
 * const linkKey = deriveKey(secret, 'link');
 */
export function deriveKey(secret: Buffer, purpose: KeyPurpose): Buffer {
  if (secret.length < MINIMUM_KEY_BYTES) throw new ApprovalKeyError(secret.length, MINIMUM_KEY_BYTES);
  return createHmac('sha256', secret).update(`backfill-approval/${purpose}-key/v1`).digest();
}

/**
 * MACs the fields as a JSON array (so no field can bleed into another) under the purpose's key, base64url.
 *
 * @example
 * mac(secret, 'csrf', [approvalId, approver]); // 43 base64url characters
 */
export function mac(secret: Buffer, purpose: KeyPurpose, fields: readonly string[]): string {
  return createHmac('sha256', deriveKey(secret, purpose))
    .update(JSON.stringify([`backfill-approval/${purpose}/v1`, ...fields]))
    .digest('base64url');
}
