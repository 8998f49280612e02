import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { validateExecutionInput } from '../lib/spec/validateExecutionInput';
import { ValidateSpecEventSchema } from './schema';

/** Parses the execution input as a spec plus runId, startedBy and schedule; every bad field is named in the InvalidSpecError. */
export const createHandler = (deps?: Deps) =>
  defineHandler('validate-spec', ValidateSpecEventSchema, async ({ input, runId, executionArn }) => validateExecutionInput(input, runId, executionArn), deps);

export const handler = createHandler();
