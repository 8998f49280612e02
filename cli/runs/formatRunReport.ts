import type { RunReport } from '../../lambdas/lib/run';

/**
 * A run report (reports/<runId>/report.json) for a terminal.
 * @example
 *   formatRunReport(report, 'backfill-artifacts').split('\n')[0]; // 'Run orders-fix-1: SUCCEEDED'
 */
export function formatRunReport(r: RunReport, bucket: string): string {
  const c = r.counts;
  return [
    `Run ${r.runId}: ${r.status}${r.mode === 'dry-run' ? ' (dry run: nothing written to the target)' : ''}`,
    `  transform        ${r.transform}   code ${r.codeVersion}   starts ${r.starts}`,
    `  plan             ${r.batches.planned} batches, ${r.records} records, planHash ${r.planHash}`,
    `  read             ${c.read} records (${c.malformed} malformed = ${r.malformedPercent}%, quarantined under ${r.quarantinePrefix})`,
    `  written          ${c.written} items (${c.created} created)`,
    `  unchanged        ${c.unchanged} items`,
    `  skipped          ${c.skippedNewer} newer, ${c.skippedChanged} changed by another writer`,
    `  failed batches   ${r.batches.failed}${r.batches.failedIds.length ? ` (${r.batches.failedIds.join(', ')})` : ''}`,
    ...(r.batches.failures ?? []).map((failure) => `                   ${failure}`),
    `  target checksum  ${r.targetChecksum}`,
    `  ran              ${r.startedAt} → ${r.finishedAt}`,
    `  report           s3://${bucket}/${r.reportKey}`,
  ].join('\n');
}
