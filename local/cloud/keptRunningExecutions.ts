import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closingOf } from './stepfunctions/model/closingEvents';
import { FileExecutionStore } from './stepfunctions/store/FileExecutionStore';

/** An execution a data dir keeps RUNNING: its process ended (killed, or closed) while it ran. */
export interface KeptRunningExecution {
  readonly executionArn: string;
  readonly stateMachineName: string;
  /** The run it works on: its input's `runId`, else its name (as the workflow reads it). */
  readonly runId: string;
}

function runIdOf(input: string, name: string): string {
  try {
    const runId = (JSON.parse(input) as { runId?: unknown } | null)?.runId;
    return typeof runId === 'string' && runId !== '' ? runId : name;
  } catch {
    return name;
  }
}

/**
 * The executions `DIR/stepfunctions` keeps RUNNING, read without starting the Step Functions
 * server (which would start them again). A record left RUNNING behind its closing event is closed, not running.
 * @throws StateDirUnreadableError when a record cannot be read
 * @example
 *   for (const kept of keptRunningExecutions('.backfill-local')) console.log(kept.executionArn, kept.runId);
 */
export function keptRunningExecutions(dataDir: string): KeptRunningExecution[] {
  const stateDir = join(dataDir, 'stepfunctions');
  if (!existsSync(join(stateDir, 'executions'))) return [];
  return new FileExecutionStore(stateDir)
    .load()
    .filter(({ record, history }) => record.status === 'RUNNING' && closingOf(history.at(-1)) === undefined)
    .map(({ record }) => ({ executionArn: record.executionArn, stateMachineName: record.stateMachineName, runId: runIdOf(record.input, record.name) }));
}
