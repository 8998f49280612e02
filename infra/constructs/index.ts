export { AccessLogsBucket, type AccessLogsBucketProps } from './AccessLogsBucket';
export { ArtifactStore, type ArtifactStoreProps } from './ArtifactStore';
export { BackfillFunctions, BACKFILL_FUNCTION_NAMES, functionArnSubstitutionKey, type BackfillFunctionName, type BackfillFunctionsProps } from './BackfillFunctions';
export { BackfillStateMachine, type BackfillStateMachineProps } from './BackfillStateMachine';
export { Ledger, type LedgerProps } from './Ledger';
export { SourceBuckets, type SourceBucketsProps } from './SourceBuckets';
export { TargetTables, type TargetTablesProps } from './TargetTables';
