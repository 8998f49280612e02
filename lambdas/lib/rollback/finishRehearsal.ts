import { PutObjectCommand } from '@aws-sdk/client-s3';
import { appendAudit, assertRollbackAllowed, LedgerError, requireRun, UNKNOWN_REQUESTER, type RunRecord } from '../ledger';
import { requiresForce } from '../ledger/transitions';
import type { Deps } from '../runtime/Deps';
import type { MapResult } from './readMapResults';
import type { RehearsalProblem } from './rehearseBatch';
import { rehearsalReportKey } from '../artifacts';
import { rollbackEnding } from './finishRollback';
import { estimateRollback, type RehearsalReport } from './reports';
import { gatherChecks, readCheckResults, type RehearsalChildResult } from './rollbackChecks';
import type { RollbackManifestRef } from './rollbackManifest';

export type { RehearsalChildResult } from './rollbackChecks';

/**
 * Sums a rehearsal's child results into its report (the same judgement the rollback acts on,
 * {@link gatherChecks}) — what a rollback would restore, delete, or leave as conflicts (with what
 * differs), every snapshot problem by key, a run status the rollback would refuse (as it would be
 * started: with or without `force`), later runs that would make it refuse, how it would end,
 * and an estimated duration — writes it to S3 and audits a RollbackRehearsed event. Writes nothing
 * to the target and leaves the run's status as it is.
 * @throws RollbackIncompleteError when the children did not cover every batch of the manifest.
 */
export async function summarizeRehearsal(
  deps: Deps,
  input: { runId: string; manifest: RollbackManifestRef; force?: boolean; requestedBy?: string | null; results: readonly RehearsalChildResult[] },
): Promise<RehearsalReport> {
  const { runId, manifest } = input;
  const force = input.force ?? false;
  const run = await requireRun(deps, runId);
  const statusProblems = runStatusProblems(run, force);
  const checks = await gatherChecks(deps, input);
  const { counts } = checks;
  const newerRunProblems: RehearsalProblem[] = checks.newerRuns.map((newer) => ({
    batchId: '-',
    problem: 'newer-run-wrote-items',
    key: newer.runId,
    detail: `run ${newer.runId} (${newer.status}) wrote ${newer.items} items this run also wrote: a rollback is refused until it is rolled back (or keepNewerRunWrites is given)`,
  }));
  const problemCount = statusProblems.length + checks.problemCount + newerRunProblems.length;
  const refused = statusProblems.length > 0 || checks.unusableCount > 0 || checks.newerRuns.length > 0;
  const report: RehearsalReport = {
    runId,
    mode: 'rehearse',
    runStatus: run.status,
    forced: force && requiresForce(run.status, 'ROLLING_BACK'),
    healthy: problemCount === 0,
    wouldEndAs: refused ? 'refused' : rollbackEnding(run.status === 'ROLLING_BACK' ? (run.rolledBackFrom ?? run.status) : run.status, counts.conflicts),
    batches: checks.batches,
    entries: counts.entries,
    wouldRestore: counts.restored,
    wouldDelete: counts.deleted,
    conflicts: counts.conflicts,
    alreadyRestored: counts.alreadyRestored,
    untouched: counts.untouched,
    handledByOtherBatch: counts.handledByOtherBatch,
    problemCount,
    problems: [...statusProblems, ...checks.problems, ...newerRunProblems],
    sampleConflicts: checks.conflicts,
    newerRuns: checks.newerRuns,
    estimate: estimateRollback(run, counts.entries),
    manifestKey: manifest.key,
    rehearsedAt: new Date(deps.clock.nowMs()).toISOString(),
    reportKey: rehearsalReportKey({ runId }),
  };
  await deps.clients.s3.send(
    new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: report.reportKey, Body: JSON.stringify(report, null, 2), ContentType: 'application/json' }),
  );
  await appendAudit(deps, {
    runId,
    type: 'RollbackRehearsed',
    actor: input.requestedBy ?? UNKNOWN_REQUESTER,
    detail: {
      healthy: report.healthy,
      wouldEndAs: report.wouldEndAs,
      forced: report.forced,
      problemCount,
      wouldRestore: report.wouldRestore,
      wouldDelete: report.wouldDelete,
      conflicts: report.conflicts,
      estimateSeconds: report.estimate.seconds,
      reportKey: report.reportKey,
    },
  });
  return report;
}

/**
 * The refusal the rollback's own status check (assertRollbackAllowed) would make now, as a problem:
 * a RUNNING run without force (RunStillRunningError), or a status no rollback starts from.
 */
function runStatusProblems(run: RunRecord, force: boolean): RehearsalProblem[] {
  try {
    assertRollbackAllowed(run, { force });
    return [];
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    return [{ batchId: '-', problem: 'run-status', key: error.name, detail: error.message }];
  }
}

/**
 * The rehearsal's last step: reads the workers' results from what the Map's ResultWriter exported
 * and summarizes them ({@link summarizeRehearsal}).
 * @example
 *   const report = await finishRehearsal(deps, { runId, manifest, mapResult: state.mapResult }); // report.healthy
 */
export async function finishRehearsal(
  deps: Deps,
  input: { runId: string; manifest: RollbackManifestRef; force?: boolean; requestedBy?: string | null; mapResult: MapResult },
): Promise<RehearsalReport> {
  const results = await readCheckResults(deps, input.runId, input.mapResult);
  return summarizeRehearsal(deps, { runId: input.runId, manifest: input.manifest, force: input.force, requestedBy: input.requestedBy, results });
}
