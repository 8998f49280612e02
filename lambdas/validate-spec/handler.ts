import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { validateExecutionInput } from '../lib/spec/validateExecutionInput';
import { ValidateSpecEventSchema } from './schema';

/** Parses the execution input as a spec; every bad field is named in the InvalidSpecError. */
export const createHandler = (deps?: Deps) =>
  defineHandler('validate-spec', ValidateSpecEventSchema, async ({ input, runId }) => validateExecutionInput(input, runId), deps);

export const handler = createHandler();
