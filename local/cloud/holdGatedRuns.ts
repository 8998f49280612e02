import { z } from 'zod';
import { getRun, GATED_STATUSES, isStatusIn } from '../../lambdas/lib/ledger';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/** The part of a backfill execution's input that names its run (the rest is the spec). */
const BackfillInputSchema = z.object({ runId: z.string().min(1) });

/**
 * Whether `local up` holds a kept RUNNING backfill execution instead of starting it again from its
 * first state: its run is PAUSING, PAUSED or ABORTING and this execution is the run's. Started
 * again, StartRun would refuse to resume a gated run (only an operator resumes a pause) and the run
 * would FAIL; held, `backfill resume RUN` (or `abort`) continues it: the waiting task is gone, so
 * the execution is stopped and the run goes on in a new one.
 * @example
 *   startStepFunctionsServer({ ..., holdKeptExecution: holdGatedRuns(deps, backfillMachineName) });
 */
export function holdGatedRuns(deps: Pick<Deps, 'clients' | 'ledgerTable'>, backfillMachineName: string) {
  return async (execution: { stateMachineName: string; executionArn: string; input: string }): Promise<boolean> => {
    if (execution.stateMachineName !== backfillMachineName) return false;
    const input = BackfillInputSchema.safeParse(safeJson(execution.input));
    if (!input.success) return false;
    const run = await getRun(deps, input.data.runId);
    return run !== undefined && run.executionArn === execution.executionArn && isStatusIn(run.status, GATED_STATUSES);
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
