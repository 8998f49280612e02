import { userInfo } from 'node:os';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/**
 * Who acts on this machine: the OS user, recorded as `startedBy`, `stoppedBy` and audit actors.
 * @example
 *   localIdentity(); // 'local:alice'
 */
export function localIdentity(): string {
  return `local:${userInfo().username}`;
}

/**
 * Who acts on AWS: the caller's ARN from STS GetCallerIdentity (an assumed role's session ARN names
 * the person behind it).
 * @example
 *   await awsIdentity(new STSClient({})); // 'arn:aws:sts::123456789012:assumed-role/Operator/alice'
 */
export async function awsIdentity(sts: STSClient): Promise<string> {
  const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
  return Arn ?? 'unknown (STS returned no ARN)';
}
