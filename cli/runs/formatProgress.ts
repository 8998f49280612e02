import type { RunProgress } from './runProgress';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Seconds for a terminal.
 * @example
 *   formatSeconds(65); // '1m 05s'
 */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * `backfill status` for a terminal.
 * @example
 *   formatStatus(progress).split('\n')[0]; // 'Run orders-fix-rounding-edc284f25c1d: RUNNING (stage ProcessBatches)'
 */
export function formatStatus(p: RunProgress): string {
  const total = p.records.total === undefined ? '' : ` of ${count(p.records.total)}`;
  const lines = [
    `Run ${p.runId}: ${p.status}${p.stage ? ` (stage ${p.stage})` : p.lastExecution ? ` (last execution ${p.lastExecution})` : ''}`,
    `  transform        ${p.transform}   code ${p.codeVersion}   starts ${p.starts}`,
    `  started by       ${p.startedBy ?? 'unknown (started without the backfill CLI)'} at ${p.createdAt}`,
    ...(p.stoppedBy ? [`  stopped by       ${p.stoppedBy}: ${p.stopReason ?? '(no reason given)'}`] : []),
    `  batches          ${count(p.batches.done)} done${p.batches.total === undefined ? '' : ` of ${count(p.batches.total)}`}, ${p.batches.inProgress} in progress, ${p.batches.failed} failed`,
    `  records          ${count(p.records.read)} read${total} (${count(p.records.malformed)} malformed)`,
    `  items            ${count(p.records.written)} written, ${count(p.records.unchanged)} unchanged, ${count(p.records.skipped)} skipped`,
    ...(p.recordsPerSecond === undefined ? [] : [`  rate             ${count(Math.round(p.recordsPerSecond))} records/s${p.etaSeconds === undefined ? '' : `, ETA ${formatSeconds(p.etaSeconds)}`}`]),
    ...(p.execution ? [`  execution        ${p.execution.executionArn} (${p.execution.status})`] : []),
    ...(p.pendingExecutionArn ? [`  resuming in      ${p.pendingExecutionArn} (RUNNING)`] : []),
    ...p.failures.map((failure, i) => `${i === 0 ? '  failures         ' : '                   '}${failure}`),
  ];
  return lines.join('\n');
}

/**
 * One plain progress line (what `watch` prints when stderr is not a terminal).
 * @example
 *   progressLine(progress); // 'orders-fix-1 RUNNING ProcessBatches: 6/12 batches, 10,000/20,000 records, 2,083 records/s, ETA 5s'
 */
export function progressLine(p: RunProgress): string {
  const batches = `${p.batches.done}${p.batches.total === undefined ? '' : `/${p.batches.total}`} batches`;
  const records = `${count(p.records.read)}${p.records.total === undefined ? '' : `/${count(p.records.total)}`} records`;
  const rate = p.recordsPerSecond === undefined ? '' : `, ${count(Math.round(p.recordsPerSecond))} records/s`;
  const eta = p.etaSeconds === undefined ? '' : `, ETA ${formatSeconds(p.etaSeconds)}`;
  const state = p.pendingExecutionArn ? `${p.status}, resuming` : `${p.status}${p.stage && p.stage !== p.status ? ` ${p.stage}` : ''}`;
  return `${p.runId} ${state}: ${batches}, ${records}${rate}${eta}`;
}
