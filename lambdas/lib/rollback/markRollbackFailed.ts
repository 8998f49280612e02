import { appendAudit, recordRollbackFailure } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { RollbackMode } from './RollbackInputSchema';

/**
 * Records why a rollback execution failed. Applying: the error goes on the run record, which stays
 * ROLLING_BACK so the rollback can be started again and resumes. Rehearsing: only audited.
 * @example
 *   await markRollbackFailed(deps, { runId, mode: 'apply', error: { Error: 'States.Timeout', Cause: '' } });
 */
export async function markRollbackFailed(deps: Deps, input: { runId: string; mode: RollbackMode; error: { Error: string; Cause: string } }): Promise<void> {
  if (input.mode === 'apply') await recordRollbackFailure(deps, input.runId, input.error);
  else await appendAudit(deps, { runId: input.runId, type: 'RollbackRehearsalFailed', detail: { ...input.error } });
}
