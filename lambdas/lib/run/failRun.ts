import { artifactPrefix } from '../artifacts';
import { getRun, listBatches, markRunFailed } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { describeFailedBatches } from './describeFailedBatches';
import { cutText } from '../text/cutText';

/** A workflow error as Step Functions passes it (`Catch`) and as a Fail state ends with. */
export interface RunFailure {
  readonly Error: string;
  readonly Cause: string;
}

/** The Cause an error keeps at most: the state payload and the run record stay bounded. */
export const CAUSE_CHARS = 8_000;
/** The Map's own Cause kept after the list of failed batches. */
const STATES_CAUSE_CHARS = 2_000;

/** The Map's error when more children failed than tolerated: its failed children are in the ResultWriter's export. */
const MAP_THRESHOLD_ERROR = 'States.ExceedToleratedFailureThreshold';

/**
 * Step Functions' own errors (`States.ExceedToleratedFailureThreshold`, `States.Timeout`, ...) say
 * that a state failed, not why: when batches failed, the why is on their ledger records. Our named
 * errors (ReconcileError, MalformedThresholdExceededError, ...) already carry their own cause.
 * CheckGate explains failures past the tolerance the same way when it applies the on-failure policy.
 * @example
 *   const { Cause } = await explainRunFailure(deps, runId, mapError); // '2 of 12 planned batches failed:\n  b0000000: …'
 */
export async function explainRunFailure(deps: Deps, runId: string, error: RunFailure): Promise<RunFailure> {
  const asIs = { Error: error.Error, Cause: cutText(error.Cause, CAUSE_CHARS) };
  if (!error.Error.startsWith('States.')) return asIs;
  const [run, batches] = await Promise.all([getRun(deps, runId), listBatches(deps, runId)]);
  const failed = describeFailedBatches(batches, { planned: run?.batchCount, nowMs: deps.clock.nowMs() });
  const mapCause = cutText(error.Cause, STATES_CAUSE_CHARS);
  if (failed !== undefined) return { Error: error.Error, Cause: `${failed}\n${error.Error}: ${mapCause}` };
  if (error.Error !== MAP_THRESHOLD_ERROR) return asIs;
  return {
    Error: error.Error,
    Cause:
      `${mapCause}\nNo batch recorded an error (the failed children failed before claiming a batch): ` +
      `the Map Run's failed children and their errors are in the artifacts bucket under ${artifactPrefix('mapResults')}<map run id>/FAILED_0.json, and on the Map Run's page in the Step Functions console`,
  };
}

/**
 * Marks the run FAILED with an error that names its cause, and returns that error for the
 * workflow's Fail state: when the Map failed, the first failed batches with each one's error name
 * and message (from their ledger records), then how many more. A run already FAILED keeps, and
 * returns, its first error.
 * @example
 *   const failure = await failRun(deps, runId, { Error: 'States.ExceedToleratedFailureThreshold', Cause: '…' });
 *   // { Error: 'States.ExceedToleratedFailureThreshold', Cause: '2 of 12 planned batches failed:\n  b0000000: TargetSchemaMismatchError: …' }
 */
export async function failRun(deps: Deps, runId: string, error: RunFailure): Promise<RunFailure> {
  const failure = await explainRunFailure(deps, runId, error);
  await markRunFailed(deps, runId, failure);
  const recorded = (await getRun(deps, runId))?.error;
  return recorded ?? failure;
}
