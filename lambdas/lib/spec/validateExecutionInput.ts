import { isRegistered, listTransforms } from '../../transforms';
import { transformId } from '../../transforms/Transform';
import { parseSpec, specHash } from './parseSpec';
import type { Spec } from './SpecSchema';
import { InvalidSpecError, type SpecProblem } from './errors';

/** Spec checks that need the transform registry. */
export function registryProblems(spec: Spec): SpecProblem[] {
  if (isRegistered(spec.transform)) return [];
  const known = listTransforms().map(transformId).join(', ');
  return [{ field: 'spec.transform', message: `no transform "${spec.transform}" is registered (known: ${known})` }];
}

const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Validates an execution input and returns what the workflow carries from then on.
 *
 * The input is a spec, optionally with a top-level `runId`: the run to start or resume, which
 * defaults to the execution name. Step Functions never reuses an execution name, so resuming a
 * failed run on AWS means a new execution whose input names the old run. `runId` is not part of
 * the spec and not of its hash.
 * @throws InvalidSpecError naming every bad field.
 */
export function validateExecutionInput(input: unknown, executionName: string): { runId: string; spec: Spec; specHash: string } {
  let body = input;
  let runId = executionName;
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && 'runId' in input) {
    const { runId: requested, ...rest } = input as Record<string, unknown>;
    if (typeof requested !== 'string' || !RUN_ID.test(requested)) {
      throw new InvalidSpecError([{ field: 'runId', message: `must be 1–80 of A-Z a-z 0-9 _ - (an execution name), got ${JSON.stringify(requested)}` }]);
    }
    body = rest;
    runId = requested;
  }
  const spec = parseSpec(body, { check: registryProblems });
  return { runId, spec, specHash: specHash(spec) };
}
