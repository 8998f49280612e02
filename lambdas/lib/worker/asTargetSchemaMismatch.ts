import type { Spec } from '../spec';
import { TargetSchemaMismatchError } from './errors';

/**
 * What DynamoDB says when a request's key is not the table's: wrong type or extra attribute ("The
 * provided key element does not match the schema"), a missing part ("One of the required keys was not
 * given a value" from BatchGetItem, "Missing the key X in the item" from PutItem), "Type mismatch for key".
 */
const KEY_MISMATCH = /key element does not match the schema|required keys? was not given a value|Missing the key|Type mismatch for key/i;

/**
 * A ValidationException about the key, from a batch's reads or writes of the target, as the named
 * TargetSchemaMismatchError that says which spec fields to check; any other error as it is. The
 * ledger's keys are built by code, never by the spec, so such an error is the target's.
 * @example
 *   throw asTargetSchemaMismatch(error, runId, batchId, spec.target);
 */
export function asTargetSchemaMismatch(error: unknown, runId: string, batchId: string, target: Spec['target']): unknown {
  if (!(error instanceof Error) || error.name !== 'ValidationException' || !KEY_MISMATCH.test(error.message)) return error;
  return new TargetSchemaMismatchError(runId, batchId, target, error);
}
