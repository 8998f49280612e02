/**
 * Where each kind of artifact lives in the artifacts bucket. IAM is granted per prefix, so the
 * Lambda code must write under exactly these prefixes (a key elsewhere is AccessDenied on AWS,
 * though the local emulators do not enforce IAM). Plain data: no CDK import, so Lambda and
 * local code can load it cheaply.
 *
 * @example
 *   const key = `${ARTIFACT_PREFIXES.manifests}${runId}/manifest.jsonl`;
 */
export const ARTIFACT_PREFIXES = {
  /** The plan's manifest of batches, read by the distributed Map's ItemReader. */
  manifests: 'manifests/',
  /** Pre-images of target items, written before a batch writes. */
  snapshots: 'snapshots/',
  /** Malformed source records with the reason each was rejected. */
  quarantine: 'quarantine/',
  /** The distributed Map's ResultWriter output (must match `ResultWriter.Parameters.Prefix` in the ASL). */
  mapResults: 'map-results/',
  /** Final run reports, rollback reports and rollback rehearsal reports. */
  reports: 'reports/',
  /** What rollbacks leave besides the report: each batch's list of conflicts (items changed since by live traffic). */
  rollbacks: 'rollbacks/',
} as const;

/** One area (prefix) of the artifacts bucket. */
export type ArtifactArea = keyof typeof ARTIFACT_PREFIXES;
