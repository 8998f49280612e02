import type { RehearsalReport, RollbackReport } from '../../../lambdas/lib/rollback';
import type { ExecutionOutcome } from '../../../local/engine';
import type { LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { runRollbackLocally } from '../../../local/runtime/runRollbackLocally';

/** Runs statemachines/rollback.asl.json locally with `input`; `onChildDone` is called after each RestoreBatches child succeeds. */
export async function rollbackRun(env: LocalEnvironment, input: Record<string, unknown>, signal?: AbortSignal, onChildDone?: () => void): Promise<ExecutionOutcome> {
  return runRollbackLocally({
    env,
    input,
    signal,
    onEvent: (event) => {
      if (event.kind === 'child-succeeded' && event.stateName === 'RestoreBatches') onChildDone?.();
    },
  });
}

export const rollbackReportOf = (outcome: ExecutionOutcome): RollbackReport => {
  if (outcome.status !== 'SUCCEEDED') throw new Error(`rollback ${outcome.status}: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
  return outcome.output as RollbackReport;
};

export const rehearsalReportOf = (outcome: ExecutionOutcome): RehearsalReport => {
  if (outcome.status !== 'SUCCEEDED') throw new Error(`rehearsal ${outcome.status}: ${outcome.error ?? ''} ${outcome.cause ?? ''}`);
  return outcome.output as RehearsalReport;
};
