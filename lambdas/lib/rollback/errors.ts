/** Base class of rollback errors; carries the run (and batch) an operator needs to look at. */
export class RollbackError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    options?: { cause?: unknown; batchId?: string },
  ) {
    super(message, options);
    this.name = 'RollbackError';
    this.batchId = options?.batchId;
  }
  readonly batchId?: string;
}

/** One field of the rollback input that failed validation. */
export interface RollbackInputProblem {
  readonly field: string;
  readonly message: string;
}

/** The rollback state machine's input is invalid; every bad field is named. Nothing was changed. */
export class InvalidRollbackInputError extends Error {
  constructor(readonly problems: readonly RollbackInputProblem[]) {
    super(
      `The rollback input is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); expected { "runId": "...", "mode"?: "apply" | "rehearse", "force"?: boolean, "keepNewerRunWrites"?: boolean, "requestedBy"?: string, "reason"?: string }:\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n'),
    );
    this.name = 'InvalidRollbackInputError';
  }
}

/**
 * The forward batch is still leased by a live attempt of the run (a forced rollback of a run whose
 * workers are still finishing): its rollback waits until the lease ends. Retryable.
 */
export class ForwardBatchLeasedError extends RollbackError {
  constructor(runId: string, batchId: string, readonly leaseExpiresAtMs: number) {
    super(
      `Batch ${batchId} of run ${runId} is still being processed by a worker of the run (leased until ${new Date(leaseExpiresAtMs).toISOString()}); ` +
        'its rollback waits for the lease to end',
      runId,
      { batchId },
    );
    this.name = 'ForwardBatchLeasedError';
  }
}

/**
 * The rollback does not add up: a batch's rollback did not finish, counts differ from the snapshots,
 * or a batch of the run recorded a snapshot after the rollback started (a worker was still writing).
 * The run stays ROLLING_BACK; starting the rollback again resumes it.
 */
export class RollbackIncompleteError extends RollbackError {
  constructor(runId: string, problem: string) {
    super(`The rollback of run ${runId} is incomplete: ${problem}; start the rollback again to resume it`, runId);
    this.name = 'RollbackIncompleteError';
  }
}

/**
 * A pre-image carries this run's stamp (another batch of the run wrote the key first), but that
 * batch's snapshot has no entry for the key, so the item's pre-run state is unknown.
 */
export class SnapshotChainError extends RollbackError {
  constructor(runId: string, batchId: string, key: string, problem: string) {
    super(`Batch ${batchId} of run ${runId}: cannot find the pre-run state of ${key}: ${problem}; roll this item back by hand`, runId, { batchId });
    this.name = 'SnapshotChainError';
  }
}

/** One snapshot a rollback cannot use, as the check before restoring found it. */
export interface UnusableSnapshot {
  readonly batchId: string;
  /** missing, checksum-mismatch, unparseable, not-recorded, chain-broken or preimage-key-mismatch. */
  readonly problem: string;
  readonly key: string;
  readonly detail: string;
}

/** Snapshots a refusal lists at most (the rehearsal report lists up to 50, the count is always exact). */
const SNAPSHOTS_LISTED = 20;

/**
 * The check every rollback makes before restoring anything found snapshots it cannot use: missing,
 * not matching the sha256 the ledger recorded, not parsing, or not holding what the ledger says.
 * Nothing was restored and the run's status is unchanged.
 */
export class SnapshotsUnusableError extends RollbackError {
  constructor(
    runId: string,
    readonly problems: readonly UnusableSnapshot[],
    readonly problemCount: number,
  ) {
    const listed = problems.slice(0, SNAPSHOTS_LISTED).map((p) => `  - ${p.batchId} ${p.key}: ${p.problem} (${p.detail})`);
    const more = problemCount > listed.length ? [`  - … and ${problemCount - listed.length} more (the rehearsal report lists them)`] : [];
    super(
      `The rollback of run ${runId} is refused: ${problemCount} snapshot${problemCount === 1 ? '' : 's'} cannot be used:\n${[...listed, ...more].join('\n')}\n` +
        'On AWS restore each object from its previous version (the artifacts bucket is versioned), then start the rollback again. ' +
        'On the local emulators (s3rver keeps no versions) a lost or altered snapshot cannot be recovered: restore the data dir from a backup copy if you have one; ' +
        'otherwise those batches\' pre-run state is lost and their items can only be fixed by hand. Nothing was restored and the run is unchanged',
      runId,
    );
    this.name = 'SnapshotsUnusableError';
  }
}

/** A run that wrote, after the run being rolled back, items that run also wrote. */
export interface NewerRun {
  readonly runId: string;
  /** Items both runs wrote (the later run's stamp is on them now). */
  readonly items: number;
  /** The later run's status in the ledger ('unknown': not in this ledger). */
  readonly status: string;
}

/**
 * The interlock against rolling back an older run under a newer one: later runs wrote over items
 * this run wrote, so restoring this run's pre-images there would undo their writes (and leaving them
 * would leave their values while this run reads rolled back). Nothing was changed.
 */
export class NewerRunWroteItemsError extends RollbackError {
  constructor(
    runId: string,
    readonly newerRuns: readonly NewerRun[],
  ) {
    const runs = newerRuns.map((n) => `run ${n.runId} (${n.status}) wrote ${n.items} item${n.items === 1 ? '' : 's'} run ${runId} also wrote`).join('; ');
    const first = newerRuns.map((n) => `run ${n.runId}`).join(', then ');
    super(
      `The rollback of run ${runId} is refused: ${runs}. Roll back ${first} first (newest first), then this run; ` +
        'or start this rollback with "keepNewerRunWrites": true (--keep-newer-run-writes) to roll it back and leave those items as the later run wrote them, listed as conflicts. Nothing was changed',
      runId,
    );
    this.name = 'NewerRunWroteItemsError';
  }
}
