export { processBatch, type BatchContext, type BatchOutcome } from './processBatch';
export { processWorkerInput, WorkerInputSchema, type WorkerInput, type WorkerResult, type WorkerObserver } from './processWorkerInput';
export { decideWrite, writeTargetItem, type WriteOutcome } from './writeTargetItem';
export { serializeSnapshot, writeSnapshot, readSnapshot, SnapshotLineSchema, type SnapshotEntry } from './SnapshotStore';
export { readPreImages } from './readPreImages';
export { mapWithConcurrency } from './mapWithConcurrency';
export { STAMP_ATTRIBUTES, stampItem, withoutStamp } from './stamps';
export { keyOf, keyString } from './targetKeys';
export { WorkerError, SourceChangedError, TransformOutputError, TransientStoreError, SnapshotIntegrityError, type SnapshotProblem } from './errors';
