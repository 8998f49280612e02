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
function failureLines(s: RunReport): string[] {
  const failures = s.batches.failures ?? [];
  const more = s.batches.failed - failures.length;
  return [...failures, ...(failures.length > 0 && more > 0 ? [`and ${more} more (each batch's error is on its ledger record)`] : [])].map((line) => `                   ${line}`);
}

/** The execution output when the run had already finished with this spec: its recorded report. */
export type AlreadyFinishedReport = RunReport & { readonly alreadyFinished: true };

/** What the CLI says when the run had already finished: nothing was done. */
export const alreadyFinishedLine = (r: AlreadyFinishedReport): string => `Run ${r.runId} already ${r.status} at ${r.finishedAt}; nothing to do (its report follows)`;

/**
 * A human-readable report for the terminal. For a run that had already finished, it says so and
 * shows the recorded report without this process's measurements (it did nothing).
 */
export function formatReport(s: LocalRunSummary | AlreadyFinishedReport): string {
  const c = s.counts;
  const measured = 'alreadyFinished' in s ? undefined : s;
  return [
    ...(measured ? [] : [alreadyFinishedLine(s as AlreadyFinishedReport)]),
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
    ...(measured
      ? [
          `  elapsed          ${(measured.elapsedMs / 1000).toFixed(2)} s, ${Math.round(measured.recordsPerSecond)} records/s`,
          `  state payloads   max ${measured.maxStatePayloadBytes} bytes${measured.maxStatePayloadAt ? ` (${measured.maxStatePayloadAt})` : ''} of 262144 allowed`,
          `  engine           ${measured.stateTransitions} state transitions, ${measured.childExecutions} child executions`,
        ]
      : []),
    `  report           s3://backfill-artifacts/${s.reportKey}`,
  ].join('\n');
}
