/**
 * Where each kind of artifact lives in the artifacts bucket. IAM is granted per area (prefix), so
 * the Lambda code must write under exactly these prefixes: a key elsewhere is AccessDenied on
 * AWS, though the local emulators do not enforce IAM. The stack's grants (infra/) read this
 * table; nothing here imports CDK.
 *
 * `layouts` documents the keys of an area (`<name>` stands for one path segment); a test checks
 * that every key function in artifactKeys.ts builds a key of its area's layouts.
 */
export const ARTIFACT_AREAS = {
  /** The plan's manifest of batches, its slice per rollout stage, and rollback manifests, read by the distributed Map's ItemReader. */
  manifests: { prefix: 'manifests/', layouts: ['manifests/<runId>/<planHash>.jsonl', 'manifests/<runId>/<planHash>-<stageName>.jsonl', 'manifests/<runId>/rollback-<sha256>.jsonl'] },
  /** Pre-images of target items, written before a batch writes. */
  snapshots: { prefix: 'snapshots/', layouts: ['snapshots/<runId>/<batchId>/attempt-<attempt>.jsonl'] },
  /** Malformed source records with the reason each was rejected. */
  quarantine: { prefix: 'quarantine/', layouts: ['quarantine/<runId>/<batchId>.jsonl'] },
  /** The distributed Map's ResultWriter output (`ResultWriter.Parameters.Prefix` in the ASL, a test checks). */
  mapResults: { prefix: 'map-results/', layouts: ['map-results/<mapRunId>/manifest.json', 'map-results/<mapRunId>/<status>_<n>.json'] },
  /** Final run reports, rollback reports and rollback rehearsal reports. */
  reports: { prefix: 'reports/', layouts: ['reports/<runId>/report.json', 'reports/<runId>/rollback.json', 'reports/<runId>/rollback-rehearsal.json'] },
  /** What rollbacks leave besides the report: each batch's conflicts (items changed since by live traffic), and the run's full list. */
  rollbacks: { prefix: 'rollbacks/', layouts: ['rollbacks/<runId>/conflicts/<batchId>/attempt-<attempt>.jsonl', 'rollbacks/<runId>/conflicts.jsonl'] },
  /** A staged run's evidence per stage (ValidateStage): the JSON the gate decided on and its HTML rendering for approvers. */
  evidence: { prefix: 'evidence/', layouts: ['evidence/<runId>/<stageName>.json', 'evidence/<runId>/<stageName>.html'] },
} as const;

/** One area (prefix) of the artifacts bucket. */
export type ArtifactArea = keyof typeof ARTIFACT_AREAS;

/**
 * The key prefix of one area, with its trailing slash.
 *
 * @example
 *   artifactPrefix('snapshots'); // 'snapshots/'
 */
export function artifactPrefix(area: ArtifactArea): string {
  return ARTIFACT_AREAS[area].prefix;
}
