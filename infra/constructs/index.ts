export { AccessLogsBucket, type AccessLogsBucketProps } from './AccessLogsBucket';
export { ArtifactStore, DEFAULT_SNAPSHOT_RETENTION_DAYS, type ArtifactStoreProps } from './ArtifactStore';
export { BackfillFunctions, BACKFILL_FUNCTION_NAMES, functionArnSubstitutionKey, type BackfillFunctionName, type BackfillFunctionsProps } from './BackfillFunctions';
export { BackfillStateMachine, type BackfillStateMachineProps } from './BackfillStateMachine';
export { Ledger, type LedgerProps } from './Ledger';
export { RollbackFunctions, ROLLBACK_FUNCTION_NAMES, rollbackFunctionArnSubstitutionKey, type RollbackFunctionName, type RollbackFunctionsProps } from './RollbackFunctions';
export { RollbackStateMachine, type RollbackStateMachineProps } from './RollbackStateMachine';
export { SourceBuckets, type SourceBucketsProps } from './SourceBuckets';
export { TargetTables, type TargetTablesProps } from './TargetTables';
