import { breakerAlarmLines } from './breakerLines';
import type { RolloutProgress, StageProgress } from './rolloutProgress';
import type { RunControls } from './runControls';
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

const percent = (p: number) => `${Number(p.toFixed(1))}%`;

/** What a stage's status line says besides its status: its decision (who), its evidence or why it waits. */
function stageOutcome(stage: StageProgress): string {
  const by = stage.decidedBy?.join(', ');
  if (stage.status === 'PASSED') return stage.decision === 'APPROVED' ? `PASSED, approved by ${by}` : 'PASSED';
  if (stage.status === 'REJECTED') return by ? `REJECTED by ${by}` : 'REJECTED (the approval timed out)';
  if (stage.status === 'AWAITING_APPROVAL') return `AWAITING_APPROVAL (approval ${stage.approvalId ?? 'unknown'})`;
  if (stage.status === 'GATE_FAILED') return `GATE_FAILED: ${(stage.failures ?? []).join('; ') || 'no failure recorded'} (evidence ${stage.evidenceKey ?? 'not written'})`;
  if (stage.status === 'VALIDATED') return `VALIDATED (evidence ${stage.evidenceKey ?? 'not written'})`;
  return stage.status;
}

/**
 * A staged run's rollout for `backfill status`: the current stage, then one line per stage.
 * @example
 *   formatRollout(rollout); // ['  rollout stage    canary AWAITING_APPROVAL', '  stages           canary  1 batch to 10%: AWAITING_APPROVAL (approval q3J0…)', ...]
 */
export function formatRollout(rollout: RolloutProgress): string[] {
  const width = Math.max(...rollout.stages.map((s) => s.name.length));
  return [
    ...(rollout.current ? [`  rollout stage    ${rollout.current.name} ${rollout.current.status}`] : []),
    ...rollout.stages.map((stage, i) => {
      const batches = `${count(stage.batchCount)} batch${stage.batchCount === 1 ? '' : 'es'}`;
      return `${i === 0 ? '  stages           ' : '                   '}${stage.name.padEnd(width)}  ${batches} to ${percent(stage.cumulativePercent)}: ${stageOutcome(stage)}`;
    }),
  ];
}

/** Why a run was rejected, in one line: at which stage, by whom and why, or the timeout. */
function rejectionText(rejection: NonNullable<RunProgress['rejection']>): string {
  if (rejection.outcome === 'timed-out') return `at stage ${rejection.stage} at ${rejection.at}: nobody decided in time (timeout means rejection)`;
  return `at stage ${rejection.stage} by ${rejection.by ?? 'an approver'} at ${rejection.at}: ${rejection.comment ? JSON.stringify(rejection.comment) : '(no comment)'}`;
}

/** What shut the gate, in words. */
const TRIGGERS: Readonly<Record<string, string>> = { operator: 'an operator', breaker: 'the breaker', failures: 'failures past the tolerance' };

/**
 * The breaker, the run's pause or abort and its concurrency for `backfill status`: the breaker only
 * when it is OPEN (or the run is gated), the concurrency with its last changes.
 * @example
 *   formatControls(controls, { runId: 'orders-fix-1', status: 'PAUSED' });
 *   // ['  breaker          OPEN since 2026-12-01T16:00:00.000Z by alarm:Backfill-Breaker: WriteThrottles in ALARM',
 *   //  '  paused           by alarm:Backfill-Breaker (the breaker) at 2026-12-01T16:00:01.000Z: the breaker opened', …]
 */
export function formatControls(controls: RunControls, run: { readonly runId: string; readonly status: string }): string[] {
  const { breaker, control, concurrency } = controls;
  const lines: string[] = [];
  if (breaker.state === 'OPEN') {
    lines.push(`  breaker          OPEN since ${breaker.openedAt ?? '(unknown)'} by ${breaker.openedBy ?? 'unknown'}: ${breaker.reason ?? '(no reason recorded)'}${breaker.alarm ? ` (alarm ${breaker.alarm})` : ''}`);
    lines.push(...breakerAlarmLines(breaker).map((line) => `  ${line}`));
  } else if (control !== undefined) {
    lines.push(`  breaker          CLOSED${breaker.closedAt ? ` since ${breaker.closedAt} by ${breaker.closedBy ?? 'unknown'}` : ''}`);
  }
  if (control !== undefined) {
    const verb = control.action === 'pause' ? 'paused' : control.rollback ? 'aborted (then rolled back)' : 'aborted';
    lines.push(`  ${verb.padEnd(16)} by ${control.by} (${TRIGGERS[control.trigger] ?? control.trigger}) at ${control.at}: ${control.reason}`);
  }
  if (run.status === 'PAUSED' || run.status === 'PAUSING') {
    lines.push(`  to go on         ${breaker.state === 'OPEN' ? 'backfill breaker close --reason "...", then ' : ''}backfill resume ${run.runId}   or   backfill abort ${run.runId} --reason "..." [--rollback]`);
  }
  if (concurrency !== undefined) {
    lines.push(`  concurrency      ${concurrency.current}${concurrency.max === undefined ? '' : ` of ${concurrency.max}`}`);
    concurrency.changes.forEach((change, i) => lines.push(`${i === 0 ? '  changes          ' : '                   '}${change.at} ${change.from} → ${change.to}: ${change.why}`));
  }
  return lines;
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
    ...(p.rejection ? [`  rejected         ${rejectionText(p.rejection)}`] : []),
    `  batches          ${count(p.batches.done)} done${p.batches.total === undefined ? '' : ` of ${count(p.batches.total)}`}, ${p.batches.inProgress} in progress, ${p.batches.failed} failed`,
    `  records          ${count(p.records.read)} read${total} (${count(p.records.malformed)} malformed)`,
    `  items            ${count(p.records.written)} written, ${count(p.records.unchanged)} unchanged, ${count(p.records.skipped)} skipped`,
    ...(p.controls ? formatControls(p.controls, p) : []),
    ...(p.rollout ? formatRollout(p.rollout) : []),
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
 *   // a staged run: 'orders-fix-1 RUNNING ProcessStage (wave-1 RUNNING): 6/12 batches, ...'
 */
export function progressLine(p: RunProgress): string {
  const batches = `${p.batches.done}${p.batches.total === undefined ? '' : `/${p.batches.total}`} batches`;
  const records = `${count(p.records.read)}${p.records.total === undefined ? '' : `/${count(p.records.total)}`} records`;
  const rate = p.recordsPerSecond === undefined ? '' : `, ${count(Math.round(p.recordsPerSecond))} records/s`;
  const eta = p.etaSeconds === undefined ? '' : `, ETA ${formatSeconds(p.etaSeconds)}`;
  const state = p.pendingExecutionArn ? `${p.status}, resuming` : `${p.status}${p.stage && p.stage !== p.status ? ` ${p.stage}` : ''}`;
  const current = p.rollout?.current;
  const rollout = current ? ` (${current.name} ${current.status})` : '';
  const control = p.controls?.control;
  const gate = [
    ...(control ? [`${control.action === 'pause' ? 'paused' : 'aborted'} by ${control.by}: ${control.reason}`] : []),
    ...(p.controls?.breaker.state === 'OPEN' ? [`breaker OPEN: ${p.controls.breaker.reason ?? 'no reason recorded'}`] : []),
    ...(p.controls?.concurrency ? [`concurrency ${p.controls.concurrency.current}`] : []),
  ];
  return `${p.runId} ${state}${rollout}: ${batches}, ${records}${rate}${eta}${gate.length > 0 ? ` [${gate.join('; ')}]` : ''}`;
}
