import { PutObjectCommand } from '@aws-sdk/client-s3';
import { appendAudit, requireRun } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { RollbackIncompleteError } from './errors';
import { readMapResults, type MapResult } from './readMapResults';
import type { RehearsalConflict, RehearsalProblem } from './rehearseBatch';
import { rehearsalReportKey } from '../artifacts';
import { estimateRollback, type RehearsalReport } from './reports';
import { addRollbackCounts, ZERO_ROLLBACK_COUNTS, type RollbackCounts } from './RollbackCounts';
import type { RollbackManifestRef } from './rollbackManifest';

/** Problems and conflicts the rehearsal report lists at most. */
const SHOWN = 50;

/** One rehearsal child's result, as the workers return it. */
export interface RehearsalChildResult {
  readonly batches: number;
  readonly counts: RollbackCounts;
  readonly problemCount: number;
  readonly problems: readonly RehearsalProblem[];
  readonly conflicts: readonly RehearsalConflict[];
}

/**
 * Sums a rehearsal's child results into its report — what a rollback would restore, delete, or
 * leave as conflicts, every snapshot problem by key, and an estimated duration — writes it to S3 and
 * audits a RollbackRehearsed event. Writes nothing to the target and leaves the run's status as it is.
 * @throws RollbackIncompleteError when the children did not cover every batch of the manifest.
 */
export async function summarizeRehearsal(deps: Deps, input: { runId: string; manifest: RollbackManifestRef; results: readonly RehearsalChildResult[] }): Promise<RehearsalReport> {
  const { runId, manifest, results } = input;
  const run = await requireRun(deps, runId);
  const batches = results.reduce((sum, r) => sum + r.batches, 0);
  if (batches !== manifest.batchCount) throw new RollbackIncompleteError(runId, `the rehearsal covered ${batches} of ${manifest.batchCount} batches`);
  const counts = results.reduce((sum, r) => addRollbackCounts(sum, r.counts), ZERO_ROLLBACK_COUNTS);
  const problemCount = results.reduce((sum, r) => sum + r.problemCount, 0);
  const byBatch = (a: { batchId: string }, b: { batchId: string }) => (a.batchId < b.batchId ? -1 : a.batchId > b.batchId ? 1 : 0);
  const problems = results.flatMap((r) => r.problems).sort(byBatch).slice(0, SHOWN);
  const sampleConflicts = results.flatMap((r) => r.conflicts).sort(byBatch).slice(0, SHOWN);
  const report: RehearsalReport = {
    runId,
    mode: 'rehearse',
    runStatus: run.status,
    healthy: problemCount === 0,
    batches,
    entries: counts.entries,
    wouldRestore: counts.restored,
    wouldDelete: counts.deleted,
    conflicts: counts.conflicts,
    alreadyRestored: counts.alreadyRestored,
    untouched: counts.untouched,
    handledByOtherBatch: counts.handledByOtherBatch,
    problemCount,
    problems,
    sampleConflicts,
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
    detail: {
      healthy: report.healthy,
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
 * The rehearsal's last step: reads the workers' results from what the Map's ResultWriter exported
 * and summarizes them ({@link summarizeRehearsal}).
 * @example
 *   const report = await finishRehearsal(deps, { runId, manifest, mapResult: state.mapResult }); // report.healthy
 */
export async function finishRehearsal(deps: Deps, input: { runId: string; manifest: RollbackManifestRef; mapResult: MapResult }): Promise<RehearsalReport> {
  const outputs = await readMapResults(deps.clients.s3, input.mapResult);
  const results = outputs.filter((o): o is RehearsalChildResult & { mode: 'rehearse' } => (o as { mode?: unknown }).mode === 'rehearse');
  if (results.length !== outputs.length) throw new RollbackIncompleteError(input.runId, `${outputs.length - results.length} map results are not rehearsal results`);
  return summarizeRehearsal(deps, { runId: input.runId, manifest: input.manifest, results });
}
