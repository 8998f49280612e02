import { InvalidArnError } from '../errors';

// arn:<partition>:states:<region>:<account>:<resource type>:<rest>
const STATES_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:([A-Za-z]+):(.+)$/;

/**
 * The state machine name of a state machine ARN, or InvalidArn.
 * @example
 *   stateMachineNameOf('stateMachineArn', 'arn:aws:states:us-east-1:000000000000:stateMachine:Backfill') // 'Backfill'
 */
export function stateMachineNameOf(field: string, arn: string): string {
  const rest = restOf(field, arn, 'stateMachine', 'arn:aws:states:<region>:<account>:stateMachine:<name>');
  if (rest.includes(':')) throw new InvalidArnError(field, arn, 'arn:aws:states:<region>:<account>:stateMachine:<name> (versions and aliases are not served locally)');
  return rest;
}

/**
 * Checks the form of an execution ARN (`...:execution:<state machine>:<name>`), or InvalidArn.
 * @example
 *   checkExecutionArn('executionArn', 'arn:aws:states:us-east-1:000000000000:execution:Backfill:r1') // the ARN
 */
export function checkExecutionArn(field: string, arn: string): string {
  const rest = restOf(field, arn, 'execution', 'arn:aws:states:<region>:<account>:execution:<stateMachine>:<name>');
  if (!/^[^:]+:[^:]+$/.test(rest)) throw new InvalidArnError(field, arn, 'arn:aws:states:<region>:<account>:execution:<stateMachine>:<name>');
  return arn;
}

/**
 * Checks the form of a Map Run ARN (`...:mapRun:<state machine>/<label>:<id>`), or InvalidArn.
 * @example
 *   checkMapRunArn('mapRunArn', 'arn:aws:states:us-east-1:000000000000:mapRun:Backfill/ProcessBatches:4f1c') // the ARN
 */
export function checkMapRunArn(field: string, arn: string): string {
  const rest = restOf(field, arn, 'mapRun', 'arn:aws:states:<region>:<account>:mapRun:<stateMachine>/<label>:<id>');
  if (!/^[^:/]+\/[^:]+:[^:]+$/.test(rest)) throw new InvalidArnError(field, arn, 'arn:aws:states:<region>:<account>:mapRun:<stateMachine>/<label>:<id>');
  return arn;
}

/**
 * The ARN of the "state machine" a Map Run's children belong to, as ListMapRuns returns it:
 * `...:mapRun:Backfill/ProcessBatches:<id>` → `...:stateMachine:Backfill/ProcessBatches`.
 * @example
 *   childStateMachineArnOf('arn:aws:states:us-east-1:000000000000:mapRun:Backfill/Map:1') // '...:stateMachine:Backfill/Map'
 */
export function childStateMachineArnOf(mapRunArn: string): string {
  const match = /^(arn:[^:]+:states:[^:]+:\d{12}):mapRun:([^:]+):[^:]+$/.exec(mapRunArn);
  if (!match) throw new InvalidArnError('mapRunArn', mapRunArn, 'arn:aws:states:<region>:<account>:mapRun:<stateMachine>/<label>:<id>');
  return `${match[1]}:stateMachine:${match[2]}`;
}

function restOf(field: string, arn: string, resourceType: string, expected: string): string {
  const match = STATES_ARN.exec(arn);
  if (!match || match[1] !== resourceType) throw new InvalidArnError(field, arn, expected);
  return match[2];
}
