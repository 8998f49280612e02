import { isRegistered, listTransforms } from '../../transforms';
import { transformId } from '../../transforms/Transform';
import { parseSpec, specHash } from './parseSpec';
import type { Spec } from './SpecSchema';
import type { SpecProblem } from './errors';

/** Spec checks that need the transform registry. */
export function registryProblems(spec: Spec): SpecProblem[] {
  if (isRegistered(spec.transform)) return [];
  const known = listTransforms().map(transformId).join(', ');
  return [{ field: 'spec.transform', message: `no transform "${spec.transform}" is registered (known: ${known})` }];
}

/**
 * Validates an execution input and returns what the workflow carries from then on.
 * @throws InvalidSpecError naming every bad field.
 */
export function validateExecutionInput(input: unknown, runId: string): { runId: string; spec: Spec; specHash: string } {
  const spec = parseSpec(input, { check: registryProblems });
  return { runId, spec, specHash: specHash(spec) };
}
