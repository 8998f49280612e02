import { listBatches, requireRun, type RunRecord, type RunRejection } from '../../lambdas/lib/ledger';
import { RunNotFoundError } from '../../lambdas/lib/ledger';
import { UnknownRunError } from '../errors';
import type { Target } from '../target';
import { describeExecutionState, executionArnOf, findNewerRunningExecution, type ExecutionState } from './executionOfRun';
import { readRolloutProgress, type RolloutProgress } from './rolloutProgress';
import { readRunControls, type RunControls } from './runControls';

/** Fields the run record gains with issue 10 (who started it, which execution runs it), read when present. */
type RunRecordOfIssue10 = RunRecord & { readonly executionArn?: string; readonly startedBy?: string; readonly stoppedBy?: string; readonly stopReason?: string };

/** Everything `status` shows, and `watch` redraws. */
export interface RunProgress {
  readonly runId: string;
  readonly status: string;
  /** The state the run's execution is in (`ProcessBatches`): only while both the run and its execution are RUNNING. */
  readonly stage?: string;
  /** A staged run's stages (spec.rollout): the current one, each one's status and decision. */
  readonly rollout?: RolloutProgress;
  /** How the run's last execution ended (`ABORTED`), when it did not succeed and the run's status does not already say it. */
  readonly lastExecution?: string;
  readonly execution?: { readonly executionArn: string; readonly status: string; readonly startDate?: string; readonly stopDate?: string };
  /** A running execution of the run that has not yet taken it over (a resume before its StartRun). */
  readonly pendingExecutionArn?: string;
  readonly batches: { readonly done: number; readonly failed: number; readonly inProgress: number; readonly total?: number };
  readonly records: { readonly read: number; readonly written: number; readonly unchanged: number; readonly skipped: number; readonly malformed: number; readonly total?: number };
  /** The first errors: failed batches' and the run's own. */
  readonly failures: readonly string[];
  /** Records read per second by the current execution. */
  readonly recordsPerSecond?: number;
  readonly etaSeconds?: number;
  readonly startedBy?: string;
  readonly stoppedBy?: string;
  readonly stopReason?: string;
  /** Why a REJECTED (REJECTED_ROLLED_BACK) run was rejected: its stage, who and their comment, or the timeout. */
  readonly rejection?: RunRejection;
  /** The breaker (state, why, since), the run's pause or abort (who, why, trigger), its concurrency and last changes. */
  readonly controls?: RunControls;
  readonly codeVersion: string;
  readonly transform: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly starts: number;
}

const FAILURES_SHOWN = 5;

/**
 * The run record, with its execution's ARN (recorded on the run, else the execution named after the run).
 * @throws UnknownRunError when the target's ledger has no such run
 * @example
 *   const { run, executionArn } = await readRun(target, 'orders-fix-1'); // run.status === 'STOPPED'
 */
export async function readRun(target: Target, runId: string): Promise<{ run: RunRecordOfIssue10; executionArn: string }> {
  try {
    const run = (await requireRun(target.deps, runId)) as RunRecordOfIssue10;
    return { run, executionArn: run.executionArn ?? executionArnOf(target.resources.backfillStateMachineArn, runId) };
  } catch (error) {
    if (error instanceof RunNotFoundError) throw new UnknownRunError(runId, target.label);
    throw error;
  }
}

/**
 * A run's progress from the ledger (run and batch records) and its execution (Step Functions).
 * @example
 *   const progress = await readRunProgress(target, 'orders-fix-1', Date.now()); // progress.batches.done
 */
export async function readRunProgress(target: Target, runId: string, nowMs: number): Promise<RunProgress> {
  const { run, executionArn } = await readRun(target, runId);
  const [batches, execution, rollout, controls] = await Promise.all([
    listBatches(target.deps, runId),
    describeExecutionState(target.sfn, executionArn),
    readRolloutProgress(target.deps, run),
    readRunControls(target, run),
  ]);
  let read = 0, written = 0, unchanged = 0, skipped = 0, malformed = 0, readThisExecution = 0;
  const executionStartMs = execution?.startDate?.getTime();
  for (const batch of batches) {
    if (batch.status !== 'DONE' || !batch.counts) continue;
    const c = batch.counts;
    read += c.read;
    written += c.written;
    unchanged += c.unchanged;
    skipped += c.skippedNewer + c.skippedChanged;
    malformed += c.malformed;
    if (executionStartMs === undefined || Date.parse(batch.updatedAt) >= executionStartMs) readThisExecution += c.read;
  }
  const done = batches.filter((b) => b.status === 'DONE').length;
  const failedBatches = batches.filter((b) => b.status === 'FAILED');
  const elapsedMs = (execution?.stopDate?.getTime() ?? nowMs) - (executionStartMs ?? Date.parse(run.createdAt));
  const recordsPerSecond = elapsedMs > 0 && readThisExecution > 0 ? readThisExecution / (elapsedMs / 1000) : undefined;
  const remaining = run.recordCount === undefined ? undefined : Math.max(0, run.recordCount - read);
  const running = execution?.status === 'RUNNING';
  const pendingExecutionArn = running ? undefined : await findNewerRunningExecution(target.sfn, target.resources.backfillStateMachineArn, runId, executionArn);
  // A stage belongs to a forward execution at work; a finished, stopped or rolled-back run has none.
  const stage = running && run.status === 'RUNNING' ? execution.stage : undefined;
  const ended = execution && !running && execution.status !== 'SUCCEEDED' && execution.status !== run.status ? execution.status : undefined;
  return {
    runId,
    status: run.status,
    ...(stage ? { stage } : {}),
    ...(rollout ? { rollout } : {}),
    ...(ended ? { lastExecution: ended } : {}),
    execution: execution && {
      executionArn: execution.executionArn,
      status: execution.status,
      startDate: execution.startDate?.toISOString(),
      stopDate: execution.stopDate?.toISOString(),
    },
    ...(pendingExecutionArn ? { pendingExecutionArn } : {}),
    batches: { done, failed: failedBatches.length, inProgress: batches.filter((b) => b.status === 'IN_PROGRESS').length, total: run.batchCount },
    records: { read, written, unchanged, skipped, malformed, total: run.recordCount },
    failures: [
      ...failedBatches.slice(0, FAILURES_SHOWN).map((b) => `${b.batchId}: ${b.error ?? 'failed (no error recorded)'}`),
      ...(run.error ? [`${run.error.Error}: ${run.error.Cause}`] : []),
    ],
    recordsPerSecond,
    etaSeconds: running && recordsPerSecond && remaining !== undefined ? remaining / recordsPerSecond : undefined,
    startedBy: run.startedBy,
    stoppedBy: run.stoppedBy,
    stopReason: run.stopReason,
    ...(run.rejection ? { rejection: run.rejection } : {}),
    controls,
    codeVersion: run.codeVersion,
    transform: run.transform,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    starts: run.starts,
  };
}

export type { ExecutionState, RolloutProgress, RunControls };
