import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { getRun } from '../../lambdas/lib/ledger';
import type { CliIo } from '../CliIo';
import type { Target } from '../target';
import { describeExecutionState } from './executionOfRun';

/** How long `schedule fire` waits to learn whether its execution started the run or ended AlreadyStarted. */
export const FIRING_OUTCOME_DEADLINE_MS = 60_000;

/** The output of the workflow's `AlreadyStarted` state: StartRun's answer for a schedule that fired before. */
const AlreadyStartedOutput = z.object({ alreadyStarted: z.literal(true), runId: z.string(), status: z.string() });

/** What one firing of a schedule did. */
export type FiringOutcome =
  | { readonly kind: 'started' }
  | { readonly kind: 'alreadyStarted'; readonly runStatus: string }
  | { readonly kind: 'ended'; readonly status: string }
  | { readonly kind: 'unknown' };

function alreadyStartedStatus(output: string | undefined): string | undefined {
  try {
    const parsed = AlreadyStartedOutput.safeParse(JSON.parse(output ?? ''));
    return parsed.success ? parsed.data.status : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Polls a schedule's execution until it has taken over the run (the run record names it), or it
 * closed (its output says whether it ended AlreadyStarted), or the deadline passed (`unknown`).
 * @example
 *   const outcome = await firingOutcome(target, arn, 'nightly-orders-2026-12-01T06-00-00Z', io); // { kind: 'alreadyStarted', runStatus: 'SUCCEEDED' }
 */
export async function firingOutcome(target: Target, executionArn: string, runId: string, io: CliIo): Promise<FiringOutcome> {
  const deadline = Date.now() + FIRING_OUTCOME_DEADLINE_MS;
  for (;;) {
    const execution = await describeExecutionState(target.sfn, executionArn);
    if (execution && execution.status !== 'RUNNING') {
      const runStatus = execution.status === 'SUCCEEDED' ? alreadyStartedStatus(execution.output) : undefined;
      return runStatus ? { kind: 'alreadyStarted', runStatus } : { kind: 'ended', status: execution.status };
    }
    const run = (await getRun(target.deps, runId)) as { executionArn?: string } | undefined;
    if (run?.executionArn === executionArn) return { kind: 'started' };
    if (Date.now() >= deadline) return { kind: 'unknown' };
    await sleep(io.pollMs ?? 1000);
  }
}
