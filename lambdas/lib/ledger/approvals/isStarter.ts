/** An IAM user or STS session ARN; its last segment names the person (the backfill CLI records the caller's ARN as `startedBy`). */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(?:sts|iam)::\d{12}:(?:assumed-role|user|federated-user)\/(?:.*\/)?([^/]+)$/;

/**
 * Whether the run's starter is this approver, for `preventSelfApproval`: the same address in any
 * case (mail addresses are compared case-insensitively, as the spec's approver list is), or an
 * IAM user / assumed-role session whose name is that address (how SSO sessions are named).
 *
 * @example
 * isStarter('arn:aws:sts::123456789012:assumed-role/BackfillOperator/Alice@example.com', 'alice@example.com'); // true
 * isStarter('local:alice', 'alice@example.com'); // false
 */
export function isStarter(startedBy: string, approver: string): boolean {
  const who = approver.toLowerCase();
  const starter = startedBy.toLowerCase();
  return starter === who || PRINCIPAL_ARN.exec(starter)?.[1] === who;
}
