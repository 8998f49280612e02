import { LOCAL_NAMES } from '../../infra/definitions';
import { formatChange, type AttributeChange, type Conflict, type RehearsalConflict, type RehearsalReport, type RollbackReport } from '../../lambdas/lib/rollback';

/** What this process measured about a local rollback or rehearsal, added to its report. */
export interface LocalRollbackTiming {
  readonly elapsedMs: number;
  /** Snapshot entries examined per second. */
  readonly itemsPerSecond: number;
}

/** Attribute changes printed per conflict at most (the conflict list in S3 has them all). */
const CHANGES_SHOWN = 12;

const REASONS: Readonly<Record<Conflict['reason'], string>> = {
  'changed-since-run': 'changed since the run',
  'changed-during-rollback': 'changed during the rollback',
  'written-by-later-run': 'written by a later run',
};

/** Each conflict: its key, why, and what differs from what the run wrote to what is there now (`totalCents: 1999 → 2010`). */
function conflictLines(conflicts: ReadonlyArray<Conflict | RehearsalConflict>): string[] {
  return conflicts.flatMap((c) => {
    const why = c.reason === 'written-by-later-run' && c.laterRunId ? `written by run ${c.laterRunId}` : REASONS[c.reason];
    const changes: readonly AttributeChange[] = c.changes ?? [];
    return [
      `    ${JSON.stringify(c.key)} (${c.batchId}, ${why})`,
      ...changes.slice(0, CHANGES_SHOWN).map((change) => `      ${formatChange(change)}`),
      ...(changes.length > CHANGES_SHOWN ? [`      … and ${changes.length - CHANGES_SHOWN} more attributes`] : []),
    ];
  });
}

/** A human-readable rollback report for the terminal. */
export function formatRollbackReport(r: RollbackReport & LocalRollbackTiming, artifactsBucket: string = LOCAL_NAMES.artifactsBucket): string {
  const bucket = `s3://${artifactsBucket}/`;
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
    `  conflicts        ${c.conflicts} items changed since the run: left alone${conflictDetail(c)}`,
    ...conflictLines(r.conflicts.shown),
    ...(r.conflicts.listKey ? [`  all conflicts    ${bucket}${r.conflicts.listKey}`] : []),
    `  verified         every restored item re-read and compared with its pre-image`,
    ...(r.alreadyRolledBack ? [] : [`  elapsed          ${(r.elapsedMs / 1000).toFixed(2)} s, ${Math.round(r.itemsPerSecond)} items/s (${c.entries} snapshot entries)`]),
    `  report           ${bucket}${r.reportKey}`,
  ].join('\n');
}

function conflictDetail(c: RollbackReport['counts']): string {
  const parts = [
    ...(c.laterRunWrites ? [`${c.laterRunWrites} written by a later run`] : []),
    ...(c.verifiedMismatches ? [`${c.verifiedMismatches} changed during the rollback`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 'S'}`;

/** The rehearsal's verdict: what a rollback started now would do. */
function verdict(r: RehearsalReport): string {
  const problems = r.problemCount > 0 ? [plural(r.problemCount, 'PROBLEM')] : [];
  const conflicts = r.conflicts > 0 ? [`${plural(r.conflicts, 'CONFLICT')} a rollback would leave`] : [];
  if (problems.length === 0 && conflicts.length === 0) return 'healthy, no problems, no conflicts';
  const outcome = r.wouldEndAs === 'refused' ? 'a rollback would be refused' : `a rollback would end ${r.wouldEndAs}`;
  return `${[...problems, ...conflicts].join(', ')}; ${outcome}`;
}

/** A human-readable rehearsal report for the terminal. */
export function formatRehearsalReport(r: RehearsalReport & LocalRollbackTiming, artifactsBucket: string = LOCAL_NAMES.artifactsBucket): string {
  const bucket = `s3://${artifactsBucket}/`;
  return [
    `Rollback rehearsal of run ${r.runId} (${r.runStatus}${r.forced ? ', rollback forced' : ''}): ${verdict(r)} (nothing was written)`,
    `  batches          ${r.batches} with a snapshot, ${r.entries} snapshot entries checked`,
    `  would restore    ${r.wouldRestore} items to their pre-image`,
    `  would delete     ${r.wouldDelete} items the run created`,
    `  conflicts        ${r.conflicts} items changed since the run (would be left alone)`,
    ...conflictLines(r.sampleConflicts),
    `  nothing to do    ${r.alreadyRestored + r.untouched + r.handledByOtherBatch} items (already at their pre-run state, or not written by the run)`,
    ...(r.healthy ? [] : [`  problems         ${r.problemCount} (a rollback would refuse, or wait, on these):`, ...r.problems.map((p) => `    ${p.batchId} ${p.problem} ${p.key}: ${p.detail}`)]),
    `  estimated time   ${r.estimate.seconds} s at ${r.estimate.itemsPerSecond} items/s (${r.estimate.basis})`,
    `  elapsed          ${(r.elapsedMs / 1000).toFixed(2)} s, ${Math.round(r.itemsPerSecond)} items/s checked`,
    `  report           ${bucket}${r.reportKey}`,
  ].join('\n');
}
