export { loadRollback, type LoadRollbackResult } from './loadRollback';
export { RollbackInputSchema, parseRollbackInput, type RollbackInput, type RollbackMode } from './RollbackInputSchema';
export {
  processRollbackWorkerInput,
  RollbackWorkerInputSchema,
  type RollbackWorkerInput,
  type RollbackWorkerObserver,
  type RollbackWorkerResult,
} from './processRollbackWorkerInput';
export { restoreBatch, type RestoreBatchOutcome, type RollbackBatchContext } from './restoreBatch';
export { rehearseBatch, type RehearseBatchOutcome, type RehearsalProblem, type RehearsalConflict } from './rehearseBatch';
export { classifyEntry, sameItem, type EntryAction, type EntryState, type ConflictReason } from './classifyEntry';
export { beginRollback, beginRollbackFromChecks, type BeginRollbackInput } from './beginRollback';
export { gatherChecks, readCheckResults, type RollbackChecks } from './rollbackChecks';
export { diffItems, formatChange, type AttributeChange } from './diffItems';
export { finishRollback } from './finishRollback';
export { finishRehearsal, summarizeRehearsal, type RehearsalChildResult } from './finishRehearsal';
export { readMapResults, readResultFiles, readJsonObject, MapResultSchema, type MapResult, type ResultFiles } from './readMapResults';
export { markRollbackFailed } from './markRollbackFailed';
export {
  RollbackManifestItemSchema,
  RollbackManifestRefSchema,
  readRollbackManifest,
  type RollbackManifestItem,
  type RollbackManifestRef,
} from './rollbackManifest';
export { readConflicts, type Conflict } from './conflicts';
export {
  estimateRollback,
  rolledBackCleanly,
  DEFAULT_ROLLBACK_ITEMS_PER_SECOND,
  type RollbackReport,
  type RehearsalReport,
  type RollbackEstimate,
} from './reports';
export { ZERO_ROLLBACK_COUNTS, addRollbackCounts, type RollbackCounts } from './RollbackCounts';
export {
  RollbackError,
  InvalidRollbackInputError,
  ForwardBatchLeasedError,
  RollbackIncompleteError,
  SnapshotChainError,
  SnapshotsUnusableError,
  NewerRunWroteItemsError,
  type RollbackInputProblem,
  type UnusableSnapshot,
  type NewerRun,
} from './errors';
