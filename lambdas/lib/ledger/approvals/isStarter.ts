import { personOf } from '../../spec';

/**
 * Whether the run's starter is this approver, for `preventSelfApproval`: the same person (see
 * personOf) under any identity: an address in any case, an IAM user or STS session named by it
 * (how SSO sessions are named), or two sessions of different roles with one session name.
 *
 * @example
 * isStarter('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Operator_x/alice@example.com',
 *   'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_y/alice@example.com'); // true
 * isStarter('arn:aws:sts::123456789012:assumed-role/BackfillOperator/Alice@example.com', 'alice@example.com'); // true
 * isStarter('local:alice', 'alice@example.com'); // false
 */
export function isStarter(startedBy: string, approver: string): boolean {
  return personOf(startedBy) === personOf(approver);
}
