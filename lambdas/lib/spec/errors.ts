/** Base class of spec errors. */
export class SpecError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpecError';
  }
}

/** One field of the spec that failed validation. */
export interface SpecProblem {
  /** Dotted path from the spec root, e.g. `spec.target.tableName`. */
  readonly field: string;
  readonly message: string;
}

/** The spec is invalid; `problems` names every bad field, and the message lists them all. */
export class InvalidSpecError extends SpecError {
  constructor(readonly problems: readonly SpecProblem[]) {
    super(
      `The backfill spec is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix these fields and start again:\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n'),
    );
    this.name = 'InvalidSpecError';
  }
}

/** A spec file's text is not UTF-8 or not JSON; the message says where, never echoing raw bytes. */
export class SpecTextError extends SpecError {
  constructor(
    problem: string,
    /** Where: the byte offset for bad UTF-8, the character offset for a JSON syntax error. */
    readonly offset: number,
  ) {
    super(problem);
    this.name = 'SpecTextError';
  }
}
