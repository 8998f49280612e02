export { ARTIFACT_AREAS, artifactPrefix, type ArtifactArea } from './artifactAreas';
export {
  snapshotKey,
  snapshotsPrefix,
  quarantineKey,
  quarantinePrefix,
  manifestKey,
  rollbackManifestKey,
  reportKey,
  rollbackReportKey,
  rehearsalReportKey,
  conflictsPrefix,
  batchConflictsKey,
  conflictListKey,
  mapResultsWriterPrefix,
  type RunRef,
  type BatchRef,
  type AttemptRef,
} from './artifactKeys';
