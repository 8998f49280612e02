import { randomUUID } from 'node:crypto';
import { MissingTaskHandlerError, UnsupportedDefinitionError, statesRuntimeError, type MissingHandler } from '../errors';
import { jsonBytes } from '../payloadSize';
import type { AslState } from '../types';
import { wrapTaskHandler } from '../wrapTaskHandler';
import { hasTaskHandler, type IntegrationDependencies, type PreparedTask } from './PreparedTask';

/** The optimized Lambda integration; `.waitForTaskToken` is appended for the callback pattern. */
export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

interface LambdaRequest {
  readonly functionName: string;
  readonly payload: unknown;
}

/**
 * Checks the Parameters of a `lambda:invoke` Task before running: refuses what the local engine
 * does not emulate, and returns the missing-handler entry when a static `FunctionName` has no handler.
 */
export function checkLambdaParameters(statePath: string, state: AslState, deps: IntegrationDependencies): MissingHandler[] {
  const parameters = state.Parameters as Record<string, unknown> | undefined;
  const refuse = (detail: string): never => {
    throw new UnsupportedDefinitionError(statePath, detail);
  };
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) refuse(`${String(state.Resource)} needs Parameters with FunctionName`);
  const functionName = parameters?.FunctionName;
  if (typeof functionName !== 'string' && typeof parameters?.['FunctionName.$'] !== 'string') refuse('Parameters.FunctionName (or FunctionName.$) must be a string');
  const invocationType = parameters?.InvocationType;
  if (invocationType !== undefined && invocationType !== 'RequestResponse') refuse(`Parameters.InvocationType ${JSON.stringify(invocationType)} is not emulated; remove it (RequestResponse)`);
  if (typeof functionName === 'string' && !hasTaskHandler(deps, functionName)) return [{ state: statePath, resource: functionName }];
  return [];
}

/** FunctionName and Payload of resolved Parameters; Payload absent → `{}` (what Lambda hands a function invoked without one). */
export function lambdaRequest(parameters: unknown): LambdaRequest {
  const { FunctionName: functionName, Payload: payload } = (parameters ?? {}) as { FunctionName?: unknown; Payload?: unknown };
  if (typeof functionName !== 'string') throw statesRuntimeError(`Parameters.FunctionName must resolve to a string, got ${JSON.stringify(functionName)}`);
  return { functionName, payload: payload === undefined ? {} : payload };
}

/** Runs the handler registered under the function name (as written in FunctionName, after substitution). */
export async function invokeFunction(statePath: string, request: LambdaRequest, deps: IntegrationDependencies): Promise<unknown> {
  if (!hasTaskHandler(deps, request.functionName)) throw new MissingTaskHandlerError([{ state: statePath, resource: request.functionName }]);
  const handler = deps.taskHandlers[request.functionName];
  return wrapTaskHandler(request.functionName, handler, deps.stats)(request.payload);
}

/**
 * What the optimized integration returns for a RequestResponse invoke: the function's result,
 * parsed, under `Payload`, with the Invoke response's metadata around it (headers reduced to the
 * ones that do not need a clock).
 */
export function lambdaInvokeResult(payload: unknown): Record<string, unknown> {
  const requestId = randomUUID();
  const headers = {
    'Content-Length': String(jsonBytes(payload)),
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** `arn:aws:states:::lambda:invoke`: the handler of FunctionName gets Payload; the Task result is {@link lambdaInvokeResult}. */
export function prepareLambdaInvoke(statePath: string, state: AslState, deps: IntegrationDependencies): PreparedTask {
  const missing = checkLambdaParameters(statePath, state, deps);
  const handler = async (parameters: unknown) => lambdaInvokeResult(await invokeFunction(statePath, lambdaRequest(parameters), deps));
  return { state, handler, missing };
}
