export { ENDED_EXECUTION_STATUSES } from './endedExecutionStatuses';
export { recordExecutionStatusChange, type ExecutionStatusChange, type ExecutionStatusChangeResult } from './recordExecutionStatusChange';
export { runOfExecution, type RunOfExecution } from './runOfExecution';
