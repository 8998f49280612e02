import type { EndedExecutionStatus } from '../ledger';

/**
 * The execution statuses that end an execution without its workflow recording how (a stop, a
 * timeout, a failure outside MarkRunFailed): what the stack's EventBridge rule matches
 * (infra/constructs/ExecutionStatusRule.ts) and the local cloud delivers (local/cloud/executionEndedRule.ts).
 */
export const ENDED_EXECUTION_STATUSES = ['ABORTED', 'TIMED_OUT', 'FAILED'] as const satisfies readonly EndedExecutionStatus[];
