/** A problem with how the CLI was called; exits 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Errors with which StartRun refuses an execution without touching the run (the StartRefused state). */
const REFUSED_AT_START: ReadonlySet<string> = new Set(['RunSpecMismatchError', 'RunNotResumableError']);

/** Whether the execution's error is StartRun refusing it: nothing ran, the run is as it was. */
export const isRefusedAtStart = (error: string): boolean => REFUSED_AT_START.has(error);

/**
 * The run ended FAILED; the message names the error and cause (for a failed Map, the failed batches
 * with their errors, and children that failed without a batch error) and how to go on: with a data
 * dir the same command resumes it; in memory nothing was kept. Exits 1.
 */
export class RunFailedError extends Error {
  constructor(
    readonly runId: string,
    readonly error: string,
    readonly causeText: string,
    readonly childFailures: string | undefined,
    readonly dataDir: string | undefined,
  ) {
    super(
      `Run ${runId} FAILED with ${error}: ${causeText}\n${childFailures ? `${childFailures}\n` : ''}` +
        (dataDir
          ? 'Fix the cause and run the command again: with the same spec and --data-dir it resumes this run; a changed spec is a new run (its default runId follows the spec)'
          : 'Without --data-dir nothing was kept: fix the cause and run it again (with --data-dir DIR to keep its state and resume it after a failure)'),
    );
    this.name = 'RunFailedError';
  }
}

/**
 * StartRun refused the execution ({@link isRefusedAtStart}): nothing ran, the run record keeps the
 * status it had, so the message does not call the run failed. Exits 1.
 */
export class RunRefusedError extends Error {
  constructor(readonly runId: string, readonly error: string, readonly causeText: string, readonly runStatus: string | undefined) {
    super(`Run ${runId} was refused (${error}): ${causeText}\nNothing was done. The run${runStatus ? ` (still ${runStatus})` : ''} and the target are unchanged.`);
    this.name = 'RunRefusedError';
  }
}

/**
 * The operator stopped a run, rollback or rehearsal (Ctrl-C). Says how to go on: with a data dir
 * the work done is kept and the same command resumes; in memory nothing is kept. Exits 130 (128 + SIGINT).
 */
export class StoppedByOperatorError extends Error {
  constructor(
    readonly what: string,
    readonly signal: NodeJS.Signals,
    readonly dataDir: string | undefined,
    /** What to do next. @default - resume with the same command (with a data dir), or keep one next time */
    next?: string,
  ) {
    super(
      `${what} was stopped by the operator (${signal}). ` +
        (next ??
          (dataDir
            ? `Finished batches are kept in ${dataDir}: run the same command again to resume it.`
            : 'Without --data-dir nothing is kept: run it again with --data-dir DIR to be able to stop and resume it.')),
    );
    this.name = 'StoppedByOperatorError';
  }
}

/** A rollback (or rehearsal) was refused or failed; the message names the error and cause. Exits 1. */
export class RollbackFailedError extends Error {
  constructor(readonly runId: string, readonly what: 'rollback' | 'rehearsal', readonly error: string, readonly causeText: string) {
    super(`The ${what} of run ${runId} FAILED with ${error}: ${causeText}`);
    this.name = 'RollbackFailedError';
  }
}

/**
 * The run paused (the circuit breaker, failures past the tolerance, or an operator) and waits for
 * an operator; the message says why and how to resume or abort it (describePausedRun). Exits 5.
 */
export class RunPausedError extends Error {
  constructor(readonly runId: string, lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'RunPausedError';
  }
}
