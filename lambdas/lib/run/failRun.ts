import { ARTIFACT_PREFIXES } from '../../../infra/artifactPrefixes';
import { getRun, listBatches, markRunFailed } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { describeFailedBatches } from './describeFailedBatches';

/** A workflow error as Step Functions passes it (`Catch`) and as a Fail state ends with. */
export interface RunFailure {
  readonly Error: string;
  readonly Cause: string;
}

/** The Cause an error keeps at most: the state payload and the run record stay bounded. */
export const CAUSE_CHARS = 8_000;
/** The Map's own Cause kept after the list of failed batches. */
const STATES_CAUSE_CHARS = 2_000;

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * Step Functions' own errors (`States.ExceedToleratedFailureThreshold`, `States.Timeout`, ...) say
 * that the Map failed, not why: the why is on the batches' ledger records. Our named errors
 * (ReconcileError, MalformedThresholdExceededError, ...) already carry their own cause.
 */
async function explain(deps: Deps, runId: string, error: RunFailure): Promise<RunFailure> {
  if (!error.Error.startsWith('States.')) return { Error: error.Error, Cause: cut(error.Cause, CAUSE_CHARS) };
  const [run, batches] = await Promise.all([getRun(deps, runId), listBatches(deps, runId)]);
  const failed = describeFailedBatches(batches, { planned: run?.batchCount, nowMs: deps.clock.nowMs() });
  const mapCause = cut(error.Cause, STATES_CAUSE_CHARS);
  if (failed === undefined) {
    return {
      Error: error.Error,
      Cause:
        `${mapCause}\nNo batch recorded an error (its children failed before claiming a batch, or the Map itself failed): ` +
        `the Map Run's failed children and their errors are in the artifacts bucket under ${ARTIFACT_PREFIXES.mapResults}<map run id>/FAILED_0.json, and in the Map Run's page in the Step Functions console`,
    };
  }
  return { Error: error.Error, Cause: `${failed}\n${error.Error}: ${mapCause}` };
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
  const failure = await explain(deps, runId, error);
  await markRunFailed(deps, runId, failure);
  const recorded = (await getRun(deps, runId))?.error;
  return recorded ?? failure;
}
