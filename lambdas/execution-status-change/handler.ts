import { recordExecutionStatusChange } from '../lib/executions';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { ExecutionStatusChangeEventSchema } from './schema';

/**
 * Target of the EventBridge rule on both state machines' execution status changes (ABORTED,
 * TIMED_OUT, FAILED): marks the run of a stopped, timed-out or failed execution, so a stopped
 * execution never leaves a RUNNING run. Anything else changes nothing.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'execution-status-change',
    ExecutionStatusChangeEventSchema,
    async ({ detail }, { deps: d, logger }) => {
      const result = await recordExecutionStatusChange(d, detail);
      logger.info('execution status change', { executionArn: detail.executionArn, executionStatus: detail.status, ...result });
      return result;
    },
    deps,
  );

export const handler = createHandler();
