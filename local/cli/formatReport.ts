import type { RunReport } from '../../lambdas/lib/run';

/** The final report of a local run: the run report plus what this process measured. */
export interface LocalRunSummary extends RunReport {
  readonly elapsedMs: number;
  readonly recordsPerSecond: number;
  readonly maxStatePayloadBytes: number;
  readonly maxStatePayloadAt?: string;
  readonly stateTransitions: number;
  readonly childExecutions: number;
  readonly resumedFromEarlierProcess: boolean;
}

/**
 * The first failed batches, each with its error, under the "failed batches" line. A report recorded
 * before reports carried `failures` has none to show.
 */
function failureLines(s: LocalRunSummary): string[] {
  const failures = s.batches.failures ?? [];
  const more = s.batches.failed - failures.length;
  return [...failures, ...(failures.length > 0 && more > 0 ? [`and ${more} more (each batch's error is on its ledger record)`] : [])].map((line) => `                   ${line}`);
}

/** A human-readable report for the terminal. */
export function formatReport(s: LocalRunSummary): string {
  const c = s.counts;
  return [
    `Run ${s.runId}: ${s.status}${s.mode === 'dry-run' ? ' (dry run: nothing written to the target)' : ''}`,
    `  transform        ${s.transform}   code ${s.codeVersion}   starts ${s.starts}`,
    `  plan             ${s.batches.planned} batches, ${s.records} records, planHash ${s.planHash}`,
    `  read             ${c.read} records (${c.malformed} malformed = ${s.malformedPercent}%, quarantined under ${s.quarantinePrefix})`,
    `  ${s.mode === 'dry-run' ? 'would write' : 'written    '}      ${c.written} items (${c.created} created)`,
    `  unchanged        ${c.unchanged} items (recomputed item equals the stored one)`,
    `  skipped newer    ${c.skippedNewer} items (live traffic wrote a newer version)`,
    ...(c.skippedChanged > 0 ? [`  skipped changed  ${c.skippedChanged} items (changed by another writer during the run; start a new run to recompute them)`] : []),
    `  failed batches   ${s.batches.failed}${s.batches.failedIds.length ? ` (${s.batches.failedIds.join(', ')})` : ''}`,
    ...failureLines(s),
    `  target checksum  ${s.targetChecksum}`,
    `  elapsed          ${(s.elapsedMs / 1000).toFixed(2)} s, ${Math.round(s.recordsPerSecond)} records/s`,
    `  state payloads   max ${s.maxStatePayloadBytes} bytes${s.maxStatePayloadAt ? ` (${s.maxStatePayloadAt})` : ''} of 262144 allowed`,
    `  engine           ${s.stateTransitions} state transitions, ${s.childExecutions} child executions`,
    `  report           s3://backfill-artifacts/${s.reportKey}`,
  ].join('\n');
}
