/** Base class of the write-rate controller's errors; carries the run an operator needs to look at. */
export class RateControlError extends Error {
  constructor(message: string, readonly runId: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateControlError';
  }
}

/** The controller changed the run's concurrency in the ledger but Step Functions refused to apply it to the Map Run. */
export class MapRunUpdateError extends RateControlError {
  constructor(runId: string, readonly mapRunArn: string, readonly maxConcurrency: number, options: { cause: unknown }) {
    const reason = options.cause instanceof Error ? `${options.cause.name}: ${options.cause.message}` : String(options.cause);
    super(
      `Run ${runId}: UpdateMapRun of ${mapRunArn} to maxConcurrency ${maxConcurrency} failed (${reason}); ` +
        'the Map Run keeps its concurrency. Check the worker role allows states:UpdateMapRun (grant states:update-map-run), or set it by hand: ' +
        `aws stepfunctions update-map-run --map-run-arn ${mapRunArn} --max-concurrency ${maxConcurrency}`,
      runId,
      options,
    );
    this.name = 'MapRunUpdateError';
  }
}

/** A Map Run concurrency below 1 or not whole: UpdateMapRun would take 0 as unlimited, so it is never sent. */
export class InvalidMapRunConcurrencyError extends RateControlError {
  constructor(runId: string, readonly mapRunArn: string, readonly maxConcurrency: number) {
    super(`Run ${runId}: refusing to set ${mapRunArn} to maxConcurrency ${maxConcurrency}; it must be a whole number ≥ 1 (0 means unlimited to UpdateMapRun)`, runId);
    this.name = 'InvalidMapRunConcurrencyError';
  }
}
