import type { ChildExecutionType } from './types';

/** The region and account every local ARN uses. */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

const prefix = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}`;

export function stateMachineArn(stateMachineName: string): string {
  return `${prefix}:stateMachine:${stateMachineName}`;
}

export function executionArn(stateMachineName: string, executionName: string): string {
  return `${prefix}:execution:${stateMachineName}:${executionName}`;
}

/** Same layout as AWS: `mapRun:<stateMachine>/<Label or Map state name>:<id>`. */
export function mapRunArn(stateMachineName: string, label: string, mapRunId: string): string {
  return `${prefix}:mapRun:${stateMachineName}/${label}:${mapRunId}`;
}

/** The "state machine" a Map Run's children belong to. */
export function childStateMachineArn(stateMachineName: string, label: string): string {
  return `${prefix}:stateMachine:${stateMachineName}/${label}`;
}

/** Express children live under `express:`, Standard ones under `execution:`. */
export function childExecutionArn(type: ChildExecutionType, stateMachineName: string, label: string, mapRunId: string, childName: string): string {
  return type === 'EXPRESS'
    ? `${prefix}:express:${stateMachineName}/${label}:${mapRunId}:${childName}`
    : `${prefix}:execution:${stateMachineName}/${label}:${childName}`;
}
