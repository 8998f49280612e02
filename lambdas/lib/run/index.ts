export { finalizeRun, type RunReport } from './finalizeRun';
export { failRun, explainRunFailure, CAUSE_CHARS, type RunFailure } from './failRun';
export { describeFailedBatches, failedBatchLines, listFirstFailures, FAILED_BATCHES_NAMED, BATCH_ERROR_CHARS } from './describeFailedBatches';
export { RunError, MalformedThresholdExceededError, ReconcileError, RunGatedError } from './errors';
