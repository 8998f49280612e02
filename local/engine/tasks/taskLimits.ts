import { UnsupportedDefinitionError, statesRuntimeError } from '../errors';
import { readNumberField } from '../distributed/mapRunConfig';
import type { ContextObject } from '../jsonPath';
import type { AslState } from '../types';

// The ASL limit for TimeoutSeconds and HeartbeatSeconds.
const MAX_TASK_SECONDS = 99_999_999;
const SECONDS_RULE = { min: 1, max: MAX_TASK_SECONDS, integer: true };

export interface TaskLimits {
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

/** Refuses, before running, limits AWS would refuse when the state machine is created. */
export function assertTaskLimitsValid(statePath: string, state: AslState): void {
  for (const field of ['TimeoutSeconds', 'HeartbeatSeconds']) {
    if (state[field] !== undefined && state[`${field}Path`] !== undefined) throw new UnsupportedDefinitionError(statePath, `use ${field} or ${field}Path, not both`);
    const value = state[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_TASK_SECONDS)) {
      throw new UnsupportedDefinitionError(statePath, `${field} must be an integer from 1 to ${MAX_TASK_SECONDS}, got ${JSON.stringify(value)}`);
    }
  }
  if (typeof state.TimeoutSeconds === 'number' && typeof state.HeartbeatSeconds === 'number' && state.HeartbeatSeconds >= state.TimeoutSeconds) {
    throw new UnsupportedDefinitionError(statePath, `HeartbeatSeconds (${state.HeartbeatSeconds}) must be smaller than TimeoutSeconds (${state.TimeoutSeconds})`);
  }
}

/**
 * TimeoutSeconds(Path) and HeartbeatSeconds(Path) of one attempt; paths read the state's
 * effective input (after InputPath) and `$$`. A bad value is `States.Runtime`, as on AWS.
 */
export function resolveTaskLimits(state: AslState, input: unknown, context: ContextObject): TaskLimits {
  const timeoutSeconds = readNumberField(state, 'TimeoutSeconds', input, context, SECONDS_RULE);
  const heartbeatSeconds = readNumberField(state, 'HeartbeatSeconds', input, context, SECONDS_RULE);
  if (timeoutSeconds !== undefined && heartbeatSeconds !== undefined && heartbeatSeconds >= timeoutSeconds) {
    throw statesRuntimeError(`HeartbeatSeconds (${heartbeatSeconds}) must be smaller than TimeoutSeconds (${timeoutSeconds})`);
  }
  return {
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
  };
}
