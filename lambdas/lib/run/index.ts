export { finalizeRun, type RunReport } from './finalizeRun';
export { RunError, MalformedThresholdExceededError, ReconcileError } from './errors';
