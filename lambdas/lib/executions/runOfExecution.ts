import { RollbackInputSchema } from '../rollback/RollbackInputSchema';
import { readExecutionInputFields } from '../spec/ExecutionInputFields';

/** Which run an execution acts on, and as which workflow. */
export interface RunOfExecution {
  readonly workflow: 'backfill' | 'rollback';
  readonly runId: string;
}

/**
 * The run an execution acts on, read from its input as the workflow itself reads it: a rollback
 * input (`{ runId, mode?, force?, ... }`, nothing of a spec) names its run; a backfill input's run is
 * its `runId`, else the one its `schedule` derives, else the execution name. The spec is not
 * validated here: an execution whose input ValidateSpec refused never started a run, and the
 * ledger's own conditions (the run's recorded executionArn) decide whether anything changes.
 * @example
 *   runOfExecution('{"runId":"orders-fix-1","mode":"rehearse"}', 'rb-1'); // { workflow: 'rollback', runId: 'orders-fix-1' }
 *   runOfExecution('{"jobName":"orders-fix",...}', 'orders-fix-1'); // { workflow: 'backfill', runId: 'orders-fix-1' }
 */
export function runOfExecution(inputText: string, executionName: string): RunOfExecution {
  const input = parseObject(inputText);
  const rollback = RollbackInputSchema.safeParse(input);
  if (rollback.success) return { workflow: 'rollback', runId: rollback.data.runId };
  const { runId, startedBy, schedule } = input ?? {};
  const { fields, problems } = readExecutionInputFields({ runId, startedBy, schedule }, executionName);
  return { workflow: 'backfill', runId: problems.length === 0 ? fields.runId : executionName };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
