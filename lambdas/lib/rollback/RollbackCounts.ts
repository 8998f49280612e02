import { sumCounts } from '../sumCounts';

/**
 * What rolling back one batch (or a whole run) did, per snapshot entry. Every entry is counted in
 * exactly one of restored, deleted, alreadyRestored, untouched, handledByOtherBatch and conflicts:
 * their sum is `entries`. In a rehearsal the same fields say what *would* happen.
 */
export interface RollbackCounts {
  /** Snapshot entries examined: every key the run's transform produced in the batch. */
  readonly entries: number;
  /** Put back to the pre-image the snapshot recorded. */
  readonly restored: number;
  /** Deleted: the run created them (their pre-image is "absent"). */
  readonly deleted: number;
  /** Already equal to the pre-image: restored by an earlier (interrupted) rollback attempt, or never written. */
  readonly alreadyRestored: number;
  /** The run decided not to write them (unchanged, or newer live data) and they carry no stamp of this batch. */
  readonly untouched: number;
  /** Last written by another batch of the same run, whose rollback restores them. */
  readonly handledByOtherBatch: number;
  /** Not as the run left them (changed since by live traffic or a later run): left alone and listed. */
  readonly conflicts: number;
  /** Of `conflicts`: changed again between the restore and its verification (a live write raced the rollback). */
  readonly verifiedMismatches: number;
  /** Of `conflicts`: last written by a later run (they carry its stamp), left as that run wrote them. */
  readonly laterRunWrites: number;
}

export const ZERO_ROLLBACK_COUNTS: RollbackCounts = {
  entries: 0,
  restored: 0,
  deleted: 0,
  alreadyRestored: 0,
  untouched: 0,
  handledByOtherBatch: 0,
  conflicts: 0,
  verifiedMismatches: 0,
  laterRunWrites: 0,
};

export function addRollbackCounts(a: RollbackCounts, b: RollbackCounts): RollbackCounts {
  return sumCounts(a, b);
}
