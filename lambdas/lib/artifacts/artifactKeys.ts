import { artifactPrefix } from './artifactAreas';

// Every key of the artifacts bucket is built here. The ids in a key are what make an object
// impossible to overwrite by mistake: the attempt (a stale attempt cannot replace the snapshot or
// conflict list the ledger recorded), the plan or manifest hash (two racing invocations cannot
// replace a pinned manifest with a different one).

/** Identifies one run. */
export interface RunRef {
  readonly runId: string;
}

/** Identifies one batch of a run. */
export interface BatchRef extends RunRef {
  readonly batchId: string;
}

/** Identifies one attempt at a batch (forward or rollback). */
export interface AttemptRef extends BatchRef {
  readonly attempt: number;
}

/**
 * Where an attempt's snapshot (the pre-images it will overwrite) lives.
 *
 * @example
 *   snapshotKey({ runId: 'r1', batchId: 'b0000003', attempt: 2 }); // 'snapshots/r1/b0000003/attempt-2.jsonl'
 */
export const snapshotKey = ({ runId, batchId, attempt }: AttemptRef): string => `${snapshotsPrefix({ runId, batchId })}attempt-${attempt}.jsonl`;

/**
 * The folder holding every attempt's snapshot of one batch.
 *
 * @example
 *   snapshotsPrefix({ runId: 'r1', batchId: 'b0000003' }); // 'snapshots/r1/b0000003/'
 */
export const snapshotsPrefix = ({ runId, batchId }: BatchRef): string => `${artifactPrefix('snapshots')}${runId}/${batchId}/`;

/**
 * Where a batch's malformed records are kept; the same batch always maps to the same key.
 *
 * @example
 *   quarantineKey({ runId: 'r1', batchId: 'b0000003' }); // 'quarantine/r1/b0000003.jsonl'
 */
export const quarantineKey = ({ runId, batchId }: BatchRef): string => `${quarantinePrefix({ runId })}${batchId}.jsonl`;

/**
 * The folder holding a run's quarantined records, one object per batch that had any.
 *
 * @example
 *   quarantinePrefix({ runId: 'r1' }); // 'quarantine/r1/'
 */
export const quarantinePrefix = ({ runId }: RunRef): string => `${artifactPrefix('quarantine')}${runId}/`;

/**
 * Where a plan's manifest lives (read by the backfill's ItemReader).
 *
 * @example
 *   manifestKey({ runId: 'r1', planHash: 'ab12…' }); // 'manifests/r1/ab12….jsonl'
 */
export const manifestKey = ({ runId, planHash }: RunRef & { readonly planHash: string }): string => `${artifactPrefix('manifests')}${runId}/${planHash}.jsonl`;

/**
 * Where one rollout stage's slice of a plan's manifest lives (read by that stage's ItemReader).
 *
 * @example
 *   stageManifestKey({ runId: 'r1', planHash: 'ab12…', stageName: 'canary' }); // 'manifests/r1/ab12…-canary.jsonl'
 */
export const stageManifestKey = ({ runId, planHash, stageName }: RunRef & { readonly planHash: string; readonly stageName: string }): string =>
  `${artifactPrefix('manifests')}${runId}/${planHash}-${stageName}.jsonl`;

/**
 * Where a rollback's manifest lives (read by the rollback's ItemReader).
 *
 * @example
 *   rollbackManifestKey({ runId: 'r1', sha256: 'cd34…' }); // 'manifests/r1/rollback-cd34….jsonl'
 */
export const rollbackManifestKey = ({ runId, sha256 }: RunRef & { readonly sha256: string }): string => `${artifactPrefix('manifests')}${runId}/rollback-${sha256}.jsonl`;

/**
 * Where a finished run's report lives.
 *
 * @example
 *   reportKey({ runId: 'r1' }); // 'reports/r1/report.json'
 */
export const reportKey = ({ runId }: RunRef): string => `${artifactPrefix('reports')}${runId}/report.json`;

/**
 * Where a finished rollback's report lives.
 *
 * @example
 *   rollbackReportKey({ runId: 'r1' }); // 'reports/r1/rollback.json'
 */
export const rollbackReportKey = ({ runId }: RunRef): string => `${artifactPrefix('reports')}${runId}/rollback.json`;

/**
 * Where a rollback rehearsal's report lives.
 *
 * @example
 *   rehearsalReportKey({ runId: 'r1' }); // 'reports/r1/rollback-rehearsal.json'
 */
export const rehearsalReportKey = ({ runId }: RunRef): string => `${artifactPrefix('reports')}${runId}/rollback-rehearsal.json`;

/**
 * The folder holding a rollback's per-batch conflict lists.
 *
 * @example
 *   conflictsPrefix({ runId: 'r1' }); // 'rollbacks/r1/conflicts/'
 */
export const conflictsPrefix = ({ runId }: RunRef): string => `${artifactPrefix('rollbacks')}${runId}/conflicts/`;

/**
 * Where one rollback attempt's conflicts for a batch are listed.
 *
 * @example
 *   batchConflictsKey({ runId: 'r1', batchId: 'b0000003', attempt: 1 }); // 'rollbacks/r1/conflicts/b0000003/attempt-1.jsonl'
 */
export const batchConflictsKey = ({ runId, batchId, attempt }: AttemptRef): string => `${conflictsPrefix({ runId })}${batchId}/attempt-${attempt}.jsonl`;

/**
 * Where every conflict of a finished rollback is listed, in batch and key order.
 *
 * @example
 *   conflictListKey({ runId: 'r1' }); // 'rollbacks/r1/conflicts.jsonl'
 */
export const conflictListKey = ({ runId }: RunRef): string => `${artifactPrefix('rollbacks')}${runId}/conflicts.jsonl`;

/** Identifies one stage of a staged run. */
export interface StageRef extends RunRef {
  readonly stageName: string;
}

/**
 * Where a stage's evidence (the JSON ValidateStage decided on) lives.
 *
 * @example
 *   evidenceKey({ runId: 'r1', stageName: 'canary' }); // 'evidence/r1/canary.json'
 */
export const evidenceKey = ({ runId, stageName }: StageRef): string => `${artifactPrefix('evidence')}${runId}/${stageName}.json`;

/**
 * Where a stage's evidence rendered as an HTML fragment lives.
 *
 * @example
 *   evidenceHtmlKey({ runId: 'r1', stageName: 'canary' }); // 'evidence/r1/canary.html'
 */
export const evidenceHtmlKey = ({ runId, stageName }: StageRef): string => `${artifactPrefix('evidence')}${runId}/${stageName}.html`;

/**
 * The `Prefix` a distributed Map's ResultWriter is given in the ASL: the map-results area without
 * its slash (Step Functions adds `/<map run id>/`).
 *
 * @example
 *   mapResultsWriterPrefix(); // 'map-results'
 */
export const mapResultsWriterPrefix = (): string => artifactPrefix('mapResults').replace(/\/$/, '');
