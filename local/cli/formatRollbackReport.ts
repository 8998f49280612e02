import type { Conflict, RehearsalReport, RollbackReport } from '../../lambdas/lib/rollback';

const BUCKET = 's3://backfill-artifacts/';

/** What this process measured about a local rollback or rehearsal, added to its report. */
export interface LocalRollbackTiming {
  readonly elapsedMs: number;
  /** Snapshot entries examined per second. */
  readonly itemsPerSecond: number;
}

const short = (item: Record<string, unknown> | null): string => {
  if (item === null) return 'absent';
  const text = JSON.stringify(item);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

function conflictLines(conflicts: readonly Conflict[]): string[] {
  return conflicts.flatMap((c) => [`    ${JSON.stringify(c.key)} (${c.batchId}, ${c.reason})`, `      run wrote  ${short(c.wrote)}`, `      now        ${short(c.now)}`]);
}

/** A human-readable rollback report for the terminal. */
export function formatRollbackReport(r: RollbackReport & LocalRollbackTiming): string {
  const c = r.counts;
  const head = r.alreadyRolledBack
    ? [`Run ${r.runId} was already rolled back (${r.status}, finished ${r.finishedAt}); nothing was changed now. Its report:`]
    : [`Rollback of run ${r.runId}: ${r.status}`];
  return [
    ...head,
    `  batches          ${r.batches} rolled back (those that recorded a snapshot), from status ${r.rolledBackFrom}${r.forced ? ' (forced)' : ''}`,
    `  restored         ${c.restored} items put back to their pre-image`,
    `  deleted          ${c.deleted} items the run had created`,
    `  already restored ${c.alreadyRestored} items (already at their pre-run state)`,
    `  untouched        ${c.untouched} items the run did not write${c.handledByOtherBatch ? `, ${c.handledByOtherBatch} restored by another batch of the run` : ''}`,
    `  conflicts        ${c.conflicts} items changed since by live traffic: left alone${c.verifiedMismatches ? ` (${c.verifiedMismatches} changed during the rollback)` : ''}`,
    ...conflictLines(r.conflicts.shown),
    ...(r.conflicts.listKey ? [`  all conflicts    ${BUCKET}${r.conflicts.listKey}`] : []),
    `  verified         every restored item re-read and compared with its pre-image`,
    ...(r.alreadyRolledBack ? [] : [`  elapsed          ${(r.elapsedMs / 1000).toFixed(2)} s, ${Math.round(r.itemsPerSecond)} items/s (${c.entries} snapshot entries)`]),
    `  report           ${BUCKET}${r.reportKey}`,
  ].join('\n');
}

/** A human-readable rehearsal report for the terminal. */
export function formatRehearsalReport(r: RehearsalReport & LocalRollbackTiming): string {
  return [
    `Rollback rehearsal of run ${r.runId} (${r.runStatus}): ${r.healthy ? 'healthy, no problems' : `${r.problemCount} PROBLEM${r.problemCount === 1 ? '' : 'S'}`} (nothing was written)`,
    `  batches          ${r.batches} with a snapshot, ${r.entries} snapshot entries checked`,
    `  would restore    ${r.wouldRestore} items to their pre-image`,
    `  would delete     ${r.wouldDelete} items the run created`,
    `  conflicts        ${r.conflicts} items changed since by live traffic (would be left alone)`,
    ...r.sampleConflicts.map((c) => `    ${JSON.stringify(c.key)} (${c.batchId})`),
    `  nothing to do    ${r.alreadyRestored + r.untouched + r.handledByOtherBatch} items (already at their pre-run state, or not written by the run)`,
    ...(r.healthy ? [] : [`  problems         ${r.problemCount} (a rollback would fail on these batches):`, ...r.problems.map((p) => `    ${p.batchId} ${p.problem} ${p.key}`)]),
    `  estimated time   ${r.estimate.seconds} s at ${r.estimate.itemsPerSecond} items/s (${r.estimate.basis})`,
    `  elapsed          ${(r.elapsedMs / 1000).toFixed(2)} s, ${Math.round(r.itemsPerSecond)} items/s checked`,
    `  report           ${BUCKET}${r.reportKey}`,
  ].join('\n');
}
