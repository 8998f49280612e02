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

/** RequestApproval ran for a run whose spec asks for no approval (the ASL only requests one when it does). */
export class ApprovalNotConfiguredError extends ApprovalError {
  constructor(readonly runId: string, readonly stage: string) {
    super(`Run ${runId} has no spec.approval, so stage ${stage} cannot wait for one; add "approval" to the spec or run it without RequestApproval`, undefined);
    this.name = 'ApprovalNotConfiguredError';
  }
}

/** preventSelfApproval cannot be enforced: nobody recorded who started the run, so RequestApproval refuses (fails closed). */
export class UnknownStarterError extends ApprovalError {
  constructor(readonly runId: string, readonly stage: string) {
    super(
      `Run ${runId} was started without startedBy, so spec.approval.preventSelfApproval cannot tell whether an approver started it; ` +
        'start the run with the backfill CLI (it sets startedBy from your identity) or give "startedBy" in the execution input, or set approval.preventSelfApproval to false',
      undefined,
    );
    this.name = 'UnknownStarterError';
  }
}

/** A request the approval page refuses before it reads any approval: its HTTP status says which kind. */
export class ApprovalRequestError extends ApprovalError {
  constructor(
    message: string,
    readonly statusCode: number,
    approvalId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, approvalId, options);
    this.name = 'ApprovalRequestError';
  }
}

/** Mail scanners and link previews fetch links: a GET carrying a decision is refused, never acted on. */
export class DecisionOnGetError extends ApprovalRequestError {
  constructor(approvalId: string | undefined, readonly parameter: string) {
    super(`A GET request never decides an approval (it carried "${parameter}"); open the link and use the page's Approve or Reject button`, 400, approvalId);
    this.name = 'DecisionOnGetError';
  }
}

/** Only GET (show the page) and POST (decide) are served. */
export class MethodNotAllowedError extends ApprovalRequestError {
  constructor(approvalId: string | undefined, readonly method: string) {
    super(`The approval page answers GET and POST only, got ${describeValue(method)}; open the link in a browser`, 405, approvalId);
    this.name = 'MethodNotAllowedError';
  }
}

/** The path is not `/approvals/<id>`. */
export class UnknownPageError extends ApprovalRequestError {
  constructor(readonly path: string) {
    super(`There is no page at ${describeValue(path)}; approval links look like /approvals/<id>?approver=…&exp=…&sig=…`, 404, undefined);
    this.name = 'UnknownPageError';
  }
}

/** A genuinely signed link whose id leads to no run: its records are gone (or it came from another deployment with the same key). */
export class UnknownApprovalError extends ApprovalRequestError {
  constructor(approvalId: string) {
    super(`No approval ${approvalId} exists in this deployment's ledger; check that the link is from this deployment's approval email, or list the run's approvals`, 404, approvalId);
    this.name = 'UnknownApprovalError';
  }
}

/** A decision POST whose body is not the page's form (wrong type, too large, an unknown or repeated field, no decision). */
export class BadDecisionFormError extends ApprovalRequestError {
  constructor(approvalId: string, readonly problem: string) {
    super(`The decision form for approval ${approvalId} is not valid: ${problem}; reload the approval page from your link and submit its form again`, 400, approvalId);
    this.name = 'BadDecisionFormError';
  }
}

/** Step Functions says the task no longer waits (TaskTimedOut / TaskDoesNotExist): the run timed out, was stopped or ended. */
export class RunNoLongerWaitsError extends ApprovalRequestError {
  constructor(approvalId: string, readonly runId: string) {
    super(
      `Run ${runId} no longer waits for approval ${approvalId} (its wait timed out, or its execution was stopped or ended); your decision was not recorded. ` +
        `If the run is resumed it waits for this approval again and the same link works`,
      410,
      approvalId,
    );
    this.name = 'RunNoLongerWaitsError';
  }
}

/** A decision request to the IAM decision endpoint without a caller AWS vouched for (the URL's AuthType is AWS_IAM; locally the approval server names the CLI's identity). */
export class UnauthenticatedCallerError extends ApprovalRequestError {
  constructor() {
    super('The decision endpoint decides only for a caller AWS IAM authenticated (a SigV4-signed request to its Function URL); use `backfill approve RUN` or `backfill reject RUN`', 403, undefined);
    this.name = 'UnauthenticatedCallerError';
  }
}

/** A request to the decision endpoint that is not `POST /decisions` with the JSON body `{ runId, approvalId?, decision, comment }`. */
export class BadDecisionRequestError extends ApprovalRequestError {
  constructor(readonly problem: string, statusCode = 400) {
    super(`The decision request is not valid: ${problem}; send POST /decisions with JSON { "runId", "approvalId"?, "decision": "approve" | "reject", "comment" } (backfill approve does)`, statusCode, undefined);
    this.name = 'BadDecisionRequestError';
  }
}

/** `backfill approve RUN` found no OPEN approval of the run to decide (none requested yet, or all decided or expired). */
export class NoOpenApprovalError extends ApprovalRequestError {
  constructor(readonly runId: string, readonly approvals: readonly string[]) {
    super(
      `Run ${runId} has no open approval${approvals.length === 0 ? ' (no stage has requested one)' : ` (its approvals: ${approvals.join(', ')})`}; ` +
        `nothing was recorded; check the run with \`backfill approvals ${runId}\``,
      409,
      undefined,
    );
    this.name = 'NoOpenApprovalError';
  }
}

/** The run has several OPEN approvals (a stage and a resumed one): the caller must name which. */
export class AmbiguousApprovalError extends ApprovalRequestError {
  constructor(readonly runId: string, readonly approvalIds: readonly string[]) {
    super(`Run ${runId} has ${approvalIds.length} open approvals (${approvalIds.join(', ')}); nothing was recorded; name one with --approval <id>`, 409, undefined);
    this.name = 'AmbiguousApprovalError';
  }
}
