export { processBatch, type BatchContext, type BatchOutcome } from './processBatch';
export { processWorkerInput, WorkerInputSchema, type WorkerInput, type WorkerResult, type WorkerObserver } from './processWorkerInput';
export { decideWrite, writeTargetItem, type WriteOutcome } from './writeTargetItem';
export { snapshotKeyOf, serializeSnapshot, writeSnapshot, type SnapshotEntry } from './SnapshotStore';
export { quarantineKeyOf } from './quarantine';
export { STAMP_ATTRIBUTES, stampItem, withoutStamp } from './stamps';
export { keyOf, keyString } from './targetKeys';
export { WorkerError, SourceChangedError, TransformOutputError, TransientStoreError } from './errors';
