import { PutObjectCommand } from '@aws-sdk/client-s3';
import { canonicalJson } from '../canonicalJson';
import { listBatches, markRunRolledBack, requireRun, ROLLED_BACK_STATUSES, RunStatusError, type RunStatus } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { readConflicts, type Conflict } from './conflicts';
import { RollbackIncompleteError } from './errors';
import { conflictListKey, rollbackReportKey } from '../artifacts';
import type { RollbackReport } from './reports';
import { addRollbackCounts, ZERO_ROLLBACK_COUNTS, type RollbackCounts } from './RollbackCounts';
import { readRollbackManifest, type RollbackManifestRef } from './rollbackManifest';

/** Conflicts the report shows at most, and the bytes they may take (the report is also the execution output). */
const SHOWN_CONFLICTS = 20;
const SHOWN_CONFLICT_BYTES = 32 * 1024;
const IDS_SHOWN = 10;

/**
 * The rollback's last step: checks that every batch in the manifest was rolled back (its rollback
 * record DONE) and that no batch of the run recorded a snapshot after the manifest was written (a
 * worker still writing), reconciles the counts with the snapshots, gathers every batch's conflicts
 * into one list, writes the report and marks the run ROLLED_BACK (or ROLLED_BACK_WITH_CONFLICTS; a run
 * rolled back from REJECTED ends REJECTED_ROLLED_BACK, its conflicts listed the same way).
 * A retried call after the run was marked returns the recorded report.
 * @throws RollbackIncompleteError — the run stays ROLLING_BACK and the rollback can be started again.
 * @example
 *   const report = await finishRollback(deps, { runId, manifest: loaded.manifest }); // report.status: 'ROLLED_BACK'
 */
export async function finishRollback(deps: Deps, input: { runId: string; manifest: RollbackManifestRef }): Promise<RollbackReport> {
  const { runId, manifest } = input;
  const run = await requireRun(deps, runId);
  if ((ROLLED_BACK_STATUSES as readonly RunStatus[]).includes(run.status) && run.rollback) return run.rollback as unknown as RollbackReport;
  if (run.status !== 'ROLLING_BACK') throw new RunStatusError(runId, run.status, 'finish its rollback');

  const items = await readRollbackManifest(deps, manifest);
  const records = new Map((await listBatches<RollbackCounts>(deps, runId, 'rollback')).map((record) => [record.batchId, record]));
  const notDone = items.filter((item) => records.get(item.batchId)?.status !== 'DONE').map((item) => `${item.batchId}: ${records.get(item.batchId)?.status ?? 'not started'}`);
  if (notDone.length > 0) throw new RollbackIncompleteError(runId, `${notDone.length} of ${items.length} batches were not rolled back (${shown(notDone)})`);
  const inManifest = new Set(items.map((item) => item.batchId));
  const late = (await listBatches(deps, runId)).filter((batch) => batch.snapshot && !inManifest.has(batch.batchId)).map((batch) => batch.batchId);
  if (late.length > 0) {
    throw new RollbackIncompleteError(runId, `batches ${shown(late)} recorded a snapshot after the rollback started (a worker of the run was still writing)`);
  }

  const done = items.map((item) => records.get(item.batchId)!);
  const counts = done.reduce((sum, record) => addRollbackCounts(sum, record.counts ?? ZERO_ROLLBACK_COUNTS), ZERO_ROLLBACK_COUNTS);
  if (counts.entries !== manifest.entryCount) throw new RollbackIncompleteError(runId, `batches examined ${counts.entries} snapshot entries but the snapshots hold ${manifest.entryCount}`);

  const conflicts: Conflict[] = [];
  for (const record of done) if (record.conflictsKey) conflicts.push(...(await readConflicts(deps.clients.s3, deps.artifactsBucket, record.conflictsKey)));
  let listKey: string | undefined;
  if (conflicts.length > 0) {
    listKey = conflictListKey({ runId });
    const body = conflicts.map((conflict) => `${canonicalJson(conflict)}\n`).join('');
    await deps.clients.s3.send(new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: listKey, Body: body, ContentLength: Buffer.byteLength(body), ContentType: 'application/x-ndjson' }));
  }

  const rolledBackFrom = run.rolledBackFrom ?? run.status;
  const status = rollbackEnding(rolledBackFrom, counts.conflicts);
  const report: RollbackReport = {
    runId,
    mode: 'apply',
    status,
    rolledBackFrom,
    forced: run.rollbackForced === true,
    batches: items.length,
    counts,
    conflicts: { total: counts.conflicts, shown: firstConflicts(conflicts), ...(listKey ? { listKey } : {}) },
    manifestKey: manifest.key,
    startedAt: run.rollbackStartedAt ?? run.updatedAt,
    finishedAt: new Date(deps.clock.nowMs()).toISOString(),
    rollbackStarts: run.rollbackStarts ?? 1,
    reportKey: rollbackReportKey({ runId }),
  };
  await deps.clients.s3.send(
    new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: report.reportKey, Body: JSON.stringify(report, null, 2), ContentType: 'application/json' }),
  );
  await markRunRolledBack(deps, runId, status, { ...report }, { ...counts, reportKey: report.reportKey });
  return report;
}

/**
 * The status a finished rollback leaves (RUN_TRANSITIONS): a rejected run stays marked as rejected
 * (REJECTED_ROLLED_BACK, conflicts or not); any other run is ROLLED_BACK, or ROLLED_BACK_WITH_CONFLICTS.
 * @example
 *   rollbackEnding('REJECTED', 0); // 'REJECTED_ROLLED_BACK'
 */
export function rollbackEnding(rolledBackFrom: RunStatus, conflicts: number): RollbackReport['status'] {
  if (rolledBackFrom === 'REJECTED') return 'REJECTED_ROLLED_BACK';
  return conflicts > 0 ? 'ROLLED_BACK_WITH_CONFLICTS' : 'ROLLED_BACK';
}

function shown(ids: readonly string[]): string {
  return ids.slice(0, IDS_SHOWN).join('; ') + (ids.length > IDS_SHOWN ? '; …' : '');
}

function firstConflicts(conflicts: readonly Conflict[]): Conflict[] {
  const first: Conflict[] = [];
  let bytes = 0;
  for (const conflict of conflicts.slice(0, SHOWN_CONFLICTS)) {
    bytes += canonicalJson(conflict).length;
    if (bytes > SHOWN_CONFLICT_BYTES) break;
    first.push(conflict);
  }
  return first;
}
