/** Base class of approval-link and CSRF refusals; carries the approval an operator needs to look at, when known. */
export class ApprovalError extends Error {
  constructor(
    message: string,
    readonly approvalId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApprovalError';
  }
}

/** Describes a value for a message without echoing an oversized or control-character-laden one. */
export function describeValue(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'nothing' : typeof value;
  if (value.length > 80 || /[\u0000-\u001f\u007f]/u.test(value)) return `a ${value.length}-character value`;
  return JSON.stringify(value);
}

/** What a reader of a malformed link can do about it. */
const LINK_HINT = 'open the link exactly as it arrived in the approval email';

/** A link (or its parts) is not shaped like one we issue: a field is missing, repeated, too long or has the wrong alphabet. */
export class MalformedLinkError extends ApprovalError {
  constructor(
    readonly field: string,
    readonly problem: string,
    approvalId?: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(`Approval link is malformed: ${field} ${problem}; ${options?.hint ?? LINK_HINT}`, approvalId, options);
    this.name = 'MalformedLinkError';
  }
}

/** The signature does not match the id, approver and expiry: the link was altered or not issued by us. */
export class ForgedLinkError extends ApprovalError {
  constructor(approvalId: string, readonly approver: string) {
    super(
      `Approval link for approval ${approvalId} and approver ${describeValue(approver)} has a signature that does not match it ` +
        `(altered or not issued by this deployment); use the unmodified link from your own approval email`,
      approvalId,
    );
    this.name = 'ForgedLinkError';
  }
}

/** The link was genuine but its expiry has passed. */
export class ExpiredLinkError extends ApprovalError {
  constructor(
    approvalId: string,
    readonly approver: string,
    readonly expiredAt: Date,
    readonly now: Date,
  ) {
    super(
      `Approval link for approval ${approvalId} expired at ${expiredAt.toISOString()} (now ${now.toISOString()}); ` +
        `it can no longer decide the approval (an approval that times out counts as a rejection); check the run's status`,
      approvalId,
    );
    this.name = 'ExpiredLinkError';
  }
}

/** Why a CSRF token was refused. */
export type CsrfProblem = 'missing' | 'malformed' | 'wrong';

/** A decision form arrived without the CSRF token issued for this approval and approver. */
export class CsrfTokenError extends ApprovalError {
  constructor(
    approvalId: string,
    readonly approver: string,
    readonly problem: CsrfProblem,
    seen: unknown,
  ) {
    super(
      `Decision form for approval ${approvalId} and approver ${describeValue(approver)} has a ${problem} CSRF token (got ${describeValue(seen)}); ` +
        `reload the approval page from your link and submit its form again`,
      approvalId,
    );
    this.name = 'CsrfTokenError';
  }
}

/** The signing key passed in is too short to be a secret. */
export class ApprovalKeyError extends ApprovalError {
  constructor(readonly lengthBytes: number, readonly minimumBytes: number) {
    super(
      `Approval signing key must be at least ${minimumBytes} bytes, got ${lengthBytes}; ` +
        `generate one with 32 random bytes (the stack's Secrets Manager secret does)`,
      undefined,
    );
    this.name = 'ApprovalKeyError';
  }
}

/** The approval services are not configured (a missing environment variable, a too-short signing secret). */
export class ApprovalConfigurationError extends ApprovalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, undefined, options);
    this.name = 'ApprovalConfigurationError';
  }
}
