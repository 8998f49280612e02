export { AccessLogsBucket, type AccessLogsBucketProps } from './AccessLogsBucket';
export { ArtifactStore, DEFAULT_SNAPSHOT_RETENTION_DAYS, type ArtifactStoreProps } from './ArtifactStore';
export { HandlerFunctions, type HandlerFunctionsProps } from './HandlerFunctions';
export { Ledger, type LedgerProps } from './Ledger';
export { SourceBuckets, type SourceBucketsProps } from './SourceBuckets';
export { TargetTables, type TargetTablesProps } from './TargetTables';
export { Workflow, type WorkflowProps } from './Workflow';
