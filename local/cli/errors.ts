/** A problem with how the CLI was called; exits 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The run ended FAILED; the message names the error and cause (for a failed Map, the failed batches
 * with their errors, and children that failed without a batch error) and how to go on. Exits 1.
 */
export class RunFailedError extends Error {
  constructor(readonly runId: string, readonly error: string, readonly causeText: string, readonly childFailures?: string) {
    super(
      `Run ${runId} FAILED with ${error}: ${causeText}\n${childFailures ? `${childFailures}\n` : ''}` +
        'Fix the cause and run the command again: with the same spec and --data-dir it resumes this run; a changed spec is a new run (its default runId follows the spec)',
    );
    this.name = 'RunFailedError';
  }
}

/** A rollback (or rehearsal) was refused or failed; the message names the error and cause. Exits 1. */
export class RollbackFailedError extends Error {
  constructor(readonly runId: string, readonly what: 'rollback' | 'rehearsal', readonly error: string, readonly causeText: string) {
    super(`The ${what} of run ${runId} FAILED with ${error}: ${causeText}`);
    this.name = 'RollbackFailedError';
  }
}
