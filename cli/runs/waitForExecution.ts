import { setTimeout as sleep } from 'node:timers/promises';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CliIo } from '../CliIo';
import { describeExecutionState, type ExecutionState } from './executionOfRun';

/**
 * Polls an execution until it closes, telling each new stage on stderr; undefined on Ctrl-C (io.signal).
 * @example
 *   const closed = await waitForExecution(sfn, arn, io); // closed?.status === 'SUCCEEDED'
 */
export async function waitForExecution(sfn: SFNClient, executionArn: string, io: CliIo, describe: (state: ExecutionState) => string): Promise<ExecutionState | undefined> {
  let last = '';
  for (;;) {
    const state = await describeExecutionState(sfn, executionArn);
    if (state && state.status !== 'RUNNING') return state;
    const line = state ? describe(state) : `waiting for ${executionArn}`;
    if (line !== last) io.err(line);
    last = line;
    try {
      await sleep(io.pollMs ?? 1000, undefined, { signal: io.signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') return undefined;
      throw error;
    }
  }
}
