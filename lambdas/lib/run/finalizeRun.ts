import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { quarantinePrefix, reportKey } from '../artifacts';
import { ACTIVE_STATUSES, addCounts, FINISHED_STATUSES, GATED_STATUSES, isStatusIn, listBatches, markRunSucceeded, requireRun, RunNotRunningError, ZERO_COUNTS, type BatchCounts } from '../ledger';
import { batchIdOf, type PlanResult } from '../plan';
import type { Deps } from '../runtime/Deps';
import type { Spec } from '../spec';
import { FAILED_BATCHES_ADVICE, FAILED_BATCHES_NAMED, failedBatchLines, listFirstFailures } from './describeFailedBatches';
import { MalformedThresholdExceededError, ReconcileError, RunGatedError } from './errors';

/** The run report: written to S3, kept as the run record's summary and returned as the execution output. */
export interface RunReport {
  readonly runId: string;
  readonly jobName: string;
  readonly status: 'SUCCEEDED' | 'SUCCEEDED_WITH_FAILURES';
  readonly mode: Spec['mode'];
  readonly transform: string;
  readonly specHash: string;
  readonly planHash: string;
  readonly codeVersion: string;
  readonly batches: {
    readonly planned: number;
    readonly done: number;
    readonly failed: number;
    readonly failedIds: readonly string[];
    /** The first failed batches, each with its error (`b0000003: SourceChangedError: …`). */
    readonly failures: readonly string[];
  };
  readonly records: number;
  readonly counts: BatchCounts;
  readonly malformedPercent: number;
  /** sha256 over every batch's checksum of its keys' post-run items, in batch order. */
  readonly targetChecksum: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly starts: number;
  readonly reportKey: string;
  readonly quarantinePrefix: string;
}

const FAILED_IDS_SHOWN = 20;

/**
 * Reconciles the ledger with the plan, enforces the malformed-record threshold, computes the target
 * checksum, writes the run report to S3 and marks the run SUCCEEDED (or SUCCEEDED_WITH_FAILURES when
 * failed batches stayed within the tolerated %).
 * @throws ReconcileError, MalformedThresholdExceededError — the workflow then marks the run FAILED;
 *   RunGatedError when a pause or abort landed (PAUSING, PAUSED, ABORTING: the workflow goes to
 *   CheckGate); RunNotRunningError when the run is not active (e.g. STOPPED), before anything is written.
 */
export async function finalizeRun(deps: Deps, input: { runId: string; spec: Spec; plan: PlanResult }): Promise<RunReport> {
  const { runId, spec, plan } = input;
  const run = await requireRun(deps, runId);
  // A retried Finalize after the run was marked returns the recorded report instead of failing.
  if (isStatusIn(run.status, FINISHED_STATUSES) && run.summary) return run.summary as unknown as RunReport;
  // A pause or abort that landed after the map settled: the workflow catches this into CheckGate.
  if (isStatusIn(run.status, GATED_STATUSES)) throw new RunGatedError(runId, run.status);
  // A run stopped (or otherwise ended) meanwhile is not reported on as if it had finished.
  if (!isStatusIn(run.status, ACTIVE_STATUSES)) throw new RunNotRunningError(runId, run.status, 'finalize it', ACTIVE_STATUSES);
  const batches = await listBatches(deps, runId);
  const done = batches.filter((b) => b.status === 'DONE');
  const failed = batches.filter((b) => b.status !== 'DONE');
  // By id, not by count: a stray record must not hide a planned batch that never ran.
  const recorded = new Set(batches.map((b) => b.batchId));
  const missing = Array.from({ length: plan.batchCount }, (_, i) => batchIdOf(i)).filter((id) => !recorded.has(id));
  // A batch never processed (its child failed before claiming it) counts as failed against the
  // tolerance, like one that failed after claiming.
  const incomplete = failedBatchLines(failed, { nowMs: deps.clock.nowMs(), missing });
  if (incomplete.length > 0 && (incomplete.length / plan.batchCount) * 100 > spec.toleratedFailurePercent) {
    throw new ReconcileError(
      runId,
      `${incomplete.length} of ${plan.batchCount} planned batches did not complete, above toleratedFailurePercent ${spec.toleratedFailurePercent}:\n${listFirstFailures(incomplete)}\n${FAILED_BATCHES_ADVICE}`,
    );
  }
  const counts = done.reduce((sum, b) => addCounts(sum, b.counts ?? ZERO_COUNTS), ZERO_COUNTS);
  if (incomplete.length === 0 && counts.read !== plan.recordCount) {
    throw new ReconcileError(
      runId,
      `batches read ${counts.read} records but the plan has ${plan.recordCount}; the batch records (pk RUN#${runId}) disagree with the manifest: keep the ledger partition and the manifest, and report it as a bug`,
    );
  }
  const malformedPercent = counts.read === 0 ? 0 : (counts.malformed / counts.read) * 100;
  if (malformedPercent > spec.maxMalformedPercent) throw new MalformedThresholdExceededError(runId, counts.malformed, counts.read, spec.maxMalformedPercent);

  const checksum = createHash('sha256');
  for (const batch of done) checksum.update(`${batch.batchId} ${batch.checksum}\n`);
  const report: RunReport = {
    runId,
    jobName: spec.jobName,
    status: incomplete.length === 0 ? 'SUCCEEDED' : 'SUCCEEDED_WITH_FAILURES',
    mode: spec.mode,
    transform: spec.transform,
    specHash: run.specHash,
    planHash: plan.planHash,
    codeVersion: run.codeVersion,
    batches: {
      planned: plan.batchCount,
      done: done.length,
      failed: incomplete.length,
      failedIds: [...missing, ...failed.map((b) => b.batchId)].sort().slice(0, FAILED_IDS_SHOWN),
      failures: incomplete.slice(0, FAILED_BATCHES_NAMED),
    },
    records: plan.recordCount,
    counts,
    malformedPercent: Math.round(malformedPercent * 1000) / 1000,
    targetChecksum: checksum.digest('hex'),
    startedAt: run.createdAt,
    finishedAt: new Date(deps.clock.nowMs()).toISOString(),
    starts: run.starts,
    reportKey: reportKey({ runId }),
    quarantinePrefix: quarantinePrefix({ runId }),
  };
  await deps.clients.s3.send(
    new PutObjectCommand({ Bucket: deps.artifactsBucket, Key: report.reportKey, Body: JSON.stringify(report, null, 2), ContentType: 'application/json' }),
  );
  await markRunSucceeded(deps, runId, report.status, { ...report });
  return report;
}
