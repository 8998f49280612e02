import type { RunRecord, RunStatus } from '../ledger';
import type { Conflict } from './conflicts';
import type { NewerRun } from './errors';
import type { RehearsalConflict, RehearsalProblem } from './rehearseBatch';
import type { RollbackCounts } from './RollbackCounts';

/** The rollback report: written to S3, kept on the run record, and the execution's output. */
export interface RollbackReport {
  readonly runId: string;
  readonly mode: 'apply';
  /** REJECTED_ROLLED_BACK for a run rolled back from REJECTED, whatever its conflicts (listed as for the others). */
  readonly status: 'ROLLED_BACK' | 'ROLLED_BACK_WITH_CONFLICTS' | 'REJECTED_ROLLED_BACK';
  /** True when the run had already been rolled back and this request changed nothing. */
  readonly alreadyRolledBack?: boolean;
  /** The run's status when its rollback first started. */
  readonly rolledBackFrom: RunStatus;
  readonly forced: boolean;
  /** Batches rolled back: those that recorded a snapshot (batches that never wrote need nothing). */
  readonly batches: number;
  readonly counts: RollbackCounts;
  readonly conflicts: {
    readonly total: number;
    /** The first conflicts, in batch and key order (as many as fit in a small payload). */
    readonly shown: readonly Conflict[];
    /** Where every conflict is listed (JSONL), when there is any. */
    readonly listKey?: string;
  };
  readonly manifestKey: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly rollbackStarts: number;
  readonly reportKey: string;
}

/** How long a rollback would take, and what the estimate rests on. */
export interface RollbackEstimate {
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly basis: string;
}

/** The rehearsal report: what a rollback would do now, and every reason it could not. Nothing was written. */
export interface RehearsalReport {
  readonly runId: string;
  readonly mode: 'rehearse';
  /** The run's status, unchanged by the rehearsal. */
  readonly runStatus: RunStatus;
  /** True when rehearsed with force and the run's status needs it (RUNNING): the report says what the forced rollback would do. */
  readonly forced: boolean;
  /** True when no problem was found: the run's status allows the rollback, every snapshot exists, matches its checksum and parses, no worker holds a batch, no later run wrote over the run. */
  readonly healthy: boolean;
  /** How a rollback started now would end: refused (the run's status, unusable snapshots, or newer runs), or rolled back with or without conflicts. */
  readonly wouldEndAs: 'refused' | RollbackReport['status'];
  readonly batches: number;
  readonly entries: number;
  readonly wouldRestore: number;
  readonly wouldDelete: number;
  readonly conflicts: number;
  readonly alreadyRestored: number;
  readonly untouched: number;
  readonly handledByOtherBatch: number;
  readonly problemCount: number;
  readonly problems: readonly RehearsalProblem[];
  /** The first conflicts, classified as the rollback would, each with the attributes that differ. */
  readonly sampleConflicts: readonly RehearsalConflict[];
  /** Later runs that wrote over items of this run (newest first): a rollback is refused unless keepNewerRunWrites. */
  readonly newerRuns: readonly NewerRun[];
  readonly estimate: RollbackEstimate;
  readonly manifestKey: string;
  readonly rehearsedAt: string;
  readonly reportKey: string;
}

/**
 * Snapshot entries a rollback examines per second when the forward run gives no measurement:
 * measured locally (dynalite + s3rver, one process, 20,000 demo records) and rounded down.
 */
export const DEFAULT_ROLLBACK_ITEMS_PER_SECOND = 1_000;

/**
 * Estimates a rollback of `entries` snapshot entries from the forward run's own rate (items its
 * transform produced per second, from its report), else {@link DEFAULT_ROLLBACK_ITEMS_PER_SECOND}.
 * A rollback reads every entry and writes only what it restores, so the forward rate is a cautious guide.
 */
export function estimateRollback(run: RunRecord, entries: number): RollbackEstimate {
  const summary = run.summary as { startedAt?: string; finishedAt?: string; counts?: { produced?: number } } | undefined;
  const seconds = summary?.startedAt && summary.finishedAt ? (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000 : NaN;
  const produced = summary?.counts?.produced ?? 0;
  if (Number.isFinite(seconds) && seconds > 0 && produced > 0) {
    const itemsPerSecond = Math.round(produced / seconds);
    return { seconds: Math.ceil(entries / itemsPerSecond), itemsPerSecond, basis: `the forward run's rate: ${produced} items in ${seconds.toFixed(1)} s` };
  }
  const itemsPerSecond = DEFAULT_ROLLBACK_ITEMS_PER_SECOND;
  return { seconds: Math.ceil(entries / itemsPerSecond), itemsPerSecond, basis: 'the documented default rate (the run has no finished report to measure)' };
}

/**
 * Whether a rollback ended with every item restored and no conflict (exit 0 in the CLIs): ROLLED_BACK,
 * or REJECTED_ROLLED_BACK without conflicts.
 * @example
 *   rolledBackCleanly({ status: 'REJECTED_ROLLED_BACK', conflicts: { total: 0, shown: [] } }); // true
 */
export function rolledBackCleanly(report: Pick<RollbackReport, 'status' | 'conflicts'>): boolean {
  return report.status === 'ROLLED_BACK' || (report.status === 'REJECTED_ROLLED_BACK' && report.conflicts.total === 0);
}
