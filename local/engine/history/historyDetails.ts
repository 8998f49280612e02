import { LOCAL_REGION } from '../arns';
import type { HistoryEventBody } from '../types';

/** `inputDetails` / `outputDetails`: the local engine never truncates a payload. */
const NOT_TRUNCATED = { truncated: false } as const;

/** A payload as GetExecutionHistory shows it: a JSON text. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** @example stateEntered('Task', 'Plan', { runId: 'r1' }) // { type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'Plan', input: '{"runId":"r1"}', ... } } */
export function stateEntered(type: string, name: string, input: unknown): HistoryEventBody {
  return { type: `${type}StateEntered`, stateEnteredEventDetails: { name, input: jsonText(input), inputDetails: NOT_TRUNCATED } };
}

export function stateExited(type: string, name: string, output: unknown): HistoryEventBody {
  return { type: `${type}StateExited`, stateExitedEventDetails: { name, output: jsonText(output), outputDetails: NOT_TRUNCATED } };
}

/** How a Task resource appears in history: a Lambda function ARN has events of its own, every other resource `Task*` events. */
export type TaskResourceKind =
  | { readonly family: 'LambdaFunction'; readonly resource: string }
  | { readonly family: 'Task'; readonly resourceType: string; readonly resource: string };

const LAMBDA_FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:/;
const INTEGRATION_ARN = /^arn:aws[\w-]*:states:::([^:]+):(.+)$/;

/**
 * `arn:aws:lambda:...:function:f` → LambdaFunction*; `arn:aws:states:::lambda:invoke.waitForTaskToken`
 * → Task* with resourceType `lambda` and resource `invoke.waitForTaskToken`, as AWS shows them.
 *
 * @example
 *   taskResourceKind('arn:aws:states:::sqs:sendMessage.waitForTaskToken');
 *   // { family: 'Task', resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken' }
 */
export function taskResourceKind(resource: string): TaskResourceKind {
  if (LAMBDA_FUNCTION_ARN.test(resource)) return { family: 'LambdaFunction', resource };
  const integration = INTEGRATION_ARN.exec(resource);
  if (integration) return { family: 'Task', resourceType: integration[1], resource: integration[2] };
  return { family: 'Task', resourceType: resource.split(':')[2] ?? 'unknown', resource };
}

export interface ScheduledTask {
  /** The resolved Parameters (or effective input) the resource gets. */
  readonly parameters: unknown;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
}

/** `LambdaFunctionScheduled` + `LambdaFunctionStarted`, or `TaskScheduled` + `TaskStarted`. */
export function taskScheduledAndStarted(kind: TaskResourceKind, task: ScheduledTask): HistoryEventBody[] {
  const timeout = task.timeoutSeconds !== undefined ? { timeoutInSeconds: task.timeoutSeconds } : {};
  if (kind.family === 'LambdaFunction') {
    return [
      { type: 'LambdaFunctionScheduled', lambdaFunctionScheduledEventDetails: { resource: kind.resource, input: jsonText(task.parameters), inputDetails: NOT_TRUNCATED, ...timeout } },
      { type: 'LambdaFunctionStarted' },
    ];
  }
  const resource = { resourceType: kind.resourceType, resource: kind.resource };
  const heartbeat = task.heartbeatSeconds !== undefined ? { heartbeatInSeconds: task.heartbeatSeconds } : {};
  return [
    { type: 'TaskScheduled', taskScheduledEventDetails: { ...resource, region: LOCAL_REGION, parameters: jsonText(task.parameters), ...timeout, ...heartbeat } },
    { type: 'TaskStarted', taskStartedEventDetails: resource },
  ];
}

/** `TaskSubmitted`: a callback Task's resource answered; the Task now waits for its token. */
export function taskSubmitted(kind: TaskResourceKind, output: unknown): HistoryEventBody {
  const resource = kind.family === 'Task' ? { resourceType: kind.resourceType, resource: kind.resource } : { resourceType: 'lambda', resource: kind.resource };
  return { type: 'TaskSubmitted', taskSubmittedEventDetails: { ...resource, output: jsonText(output), outputDetails: NOT_TRUNCATED } };
}

export function taskSucceeded(kind: TaskResourceKind, output: unknown): HistoryEventBody {
  const payload = { output: jsonText(output), outputDetails: NOT_TRUNCATED };
  if (kind.family === 'LambdaFunction') return { type: 'LambdaFunctionSucceeded', lambdaFunctionSucceededEventDetails: payload };
  return { type: 'TaskSucceeded', taskSucceededEventDetails: { resourceType: kind.resourceType, resource: kind.resource, ...payload } };
}

/** `...Failed`, or `...TimedOut` for `States.Timeout` / `States.HeartbeatTimeout`. */
export function taskEnded(kind: TaskResourceKind, error: string, cause: string): HistoryEventBody {
  const outcome = error === 'States.Timeout' || error === 'States.HeartbeatTimeout' ? 'TimedOut' : 'Failed';
  const member = `${kind.family === 'LambdaFunction' ? 'lambdaFunction' : 'task'}${outcome}EventDetails`;
  const resource = kind.family === 'Task' ? { resourceType: kind.resourceType, resource: kind.resource } : {};
  return { type: `${kind.family}${outcome}`, [member]: { ...resource, error, cause } };
}
