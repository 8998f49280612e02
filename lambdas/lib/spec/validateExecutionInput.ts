import { isRegistered, listTransforms } from '../../transforms';
import { transformId } from '../../transforms/Transform';
import { parseSpec, specHash } from './parseSpec';
import type { Spec } from './SpecSchema';
import { InvalidSpecError, type SpecProblem } from './errors';
import { readExecutionInputFields, type ScheduledStart } from './ExecutionInputFields';

/** Spec checks that need the transform registry. */
export function registryProblems(spec: Spec): SpecProblem[] {
  if (isRegistered(spec.transform)) return [];
  const known = listTransforms().map(transformId).join(', ');
  return [{ field: 'spec.transform', message: `no transform "${spec.transform}" is registered (known: ${known})` }];
}

/** What ValidateSpec puts in the state: every field present (JSONPath `.$` needs it), null when absent. */
export interface ValidatedExecutionInput {
  readonly runId: string;
  readonly spec: Spec;
  readonly specHash: string;
  /** Who started it, when the input says (the ledger records an unknown starter otherwise). */
  readonly startedBy: string | null;
  /** `$$.Execution.Id`, recorded on the run so only this execution's end moves it. */
  readonly executionArn: string | null;
  /** The schedule firing this start, when its runId came from the schedule. */
  readonly scheduled: ScheduledStart | null;
}

/**
 * Validates an execution input and returns what the workflow carries from then on.
 *
 * The input is a spec with optional top-level fields that are not part of it nor of its hash:
 * `runId`, the run to start or resume (default: `scheduledRunId(schedule)` for a scheduled input,
 * else the execution name; Step Functions never reuses an execution name, so resuming on AWS means a
 * new execution whose input names the old run), `startedBy` (who starts it) and `schedule`
 * (`{ name, scheduledTime }`, from EventBridge Scheduler).
 * @throws InvalidSpecError naming every bad field.
 * @example
 *   validateExecutionInput({ ...spec, startedBy: 'local:ana' }, 'orders-fix', executionArn); // { runId: 'orders-fix', startedBy: 'local:ana', ... }
 */
export function validateExecutionInput(input: unknown, executionName: string, executionArn?: string): ValidatedExecutionInput {
  let body = input;
  let read: ReturnType<typeof readExecutionInputFields> = { fields: { runId: executionName }, problems: [] };
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const { runId, startedBy, schedule, ...rest } = input as Record<string, unknown>;
    read = readExecutionInputFields({ runId, startedBy, schedule }, executionName);
    body = rest;
  }
  const { fields, problems } = read;
  let spec: Spec;
  try {
    spec = parseSpec(body, { check: registryProblems });
  } catch (error) {
    if (error instanceof InvalidSpecError && problems.length > 0) throw new InvalidSpecError([...problems, ...error.problems]);
    throw error;
  }
  if (problems.length > 0) throw new InvalidSpecError(problems);
  return {
    runId: fields.runId,
    spec,
    specHash: specHash(spec),
    startedBy: fields.startedBy ?? null,
    executionArn: executionArn ?? null,
    scheduled: fields.scheduled ?? null,
  };
}
