import type { DeliveredApprovalMessage } from './outboxNotifier';

/**
 * The stderr line for one delivered approval message: the link an approver opens, or the file when
 * the message names no link on the local page.
 * @example
 *   approvalMessageLine({ approver: 'demo-approver@example.com', link: 'http://127.0.0.1:4573/approvals/q3…', file });
 *   // 'approval link (demo-approver@example.com): http://127.0.0.1:4573/approvals/q3…'
 */
export function approvalMessageLine(message: DeliveredApprovalMessage): string {
  return message.link ? `approval link (${message.approver}): ${message.link}` : `approval message (${message.approver}) without a link: ${message.file}`;
}
