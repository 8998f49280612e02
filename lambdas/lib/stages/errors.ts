/** Base class of staged-rollout errors; carries the run (and stage) an operator needs to look at. */
export class StageError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    readonly stageName?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StageError';
  }
}

/** A staged run (spec.rollout) reached its stages with a plan that carries none. */
export class PlanHasNoStagesError extends StageError {
  constructor(runId: string) {
    super(
      `Run ${runId} has a rollout but its plan lists no stages; the Plan step returns them for a spec with "rollout". ` +
        'Start the run again so it is planned with its rollout',
      runId,
    );
    this.name = 'PlanHasNoStagesError';
  }
}

/** A stage of the run was rejected: nothing after it may be written. */
export class StageRejectedError extends StageError {
  constructor(runId: string, stageName: string, by: readonly string[]) {
    super(
      `Stage ${stageName} of run ${runId} was rejected${by.length > 0 ? ` by ${by.join(', ')}` : ''}; nothing after it is written. ` +
        'Read the evidence and the decision (backfill status), fix the transform or the spec, and start a new run',
      runId,
      stageName,
    );
    this.name = 'StageRejectedError';
  }
}
