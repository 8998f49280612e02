/** An IAM user or an STS assumed-role / federated-user session; its last segment is the user or session name. */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(?:sts|iam)::\d{12}:(?:assumed-role|user|federated-user)\/(?:.*\/)?([^/]+)$/;
/** How the CLI acts on a local cloud (cli/identity.ts localIdentity). */
const LOCAL_IDENTITY = /^local:(.+)$/;

/**
 * The person behind an approver or starter identity, lower-cased: an email address itself, the
 * name of a `local:<name>` identity, an ARN's session name (assumed-role, federated-user) or IAM
 * user name. One person reaches AWS under several ARNs (an SSO session per permission set, each
 * named by the same address), so self-approval and the quorum compare persons, not identities.
 *
 * @example
 * personOf('arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_y/Alice@example.com'); // 'alice@example.com'
 * personOf('arn:aws:iam::123456789012:user/ops/carol'); // 'carol'
 * personOf('local:dave'); // 'dave'
 */
export function personOf(identity: string): string {
  const lower = identity.toLowerCase();
  return PRINCIPAL_ARN.exec(lower)?.[1] ?? LOCAL_IDENTITY.exec(lower)?.[1] ?? lower;
}
