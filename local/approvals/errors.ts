/** Base class of the local approval wiring's errors (outbox, signing key file). */
export class LocalApprovalsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalApprovalsError';
  }
}

/** The data dir's approval signing key file cannot be read, created or used. */
export class SigningKeyFileError extends LocalApprovalsError {
  constructor(readonly path: string, readonly problem: string, options?: { cause?: unknown; advice?: string }) {
    super(`cannot use the approval signing key file ${path}: ${problem}; ${options?.advice ?? 'make the data dir writable'}`, options);
    this.name = 'SigningKeyFileError';
  }
}

/** An approval message could not be written to the outbox (nothing half-written is left). */
export class OutboxWriteError extends LocalApprovalsError {
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`cannot write the approval message ${path}: ${(options?.cause as Error | undefined)?.message ?? 'unknown error'}; make the data dir writable and resume the run`, options);
    this.name = 'OutboxWriteError';
  }
}

/** The unattended approver could not decide through the link: the page refused, or had no decision form. */
export class LinkDecisionError extends LocalApprovalsError {
  constructor(readonly link: string, readonly problem: string, options?: { cause?: unknown }) {
    super(`could not decide through the approval link ${link.split('?')[0]}: ${problem}; open the link in a browser to see the page, or run with --approval manual`, options);
    this.name = 'LinkDecisionError';
  }
}
