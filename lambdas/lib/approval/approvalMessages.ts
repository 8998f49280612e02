import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { cutText } from '../text/cutText';
import { approvalLink } from './signedLinks';

/** SNS refuses a Subject over 100 characters or with control characters. */
const MAX_SUBJECT_CHARS = 100;

/** What the approvers are told about the run and the stage that waits for them. */
export interface ApprovalNotice {
  readonly runId: string;
  readonly stage: string;
  readonly approvalId: string;
  readonly approvers: readonly string[];
  readonly quorum: number;
  readonly expiresAt: Date;
  readonly startedBy: string;
  readonly transform: string;
  readonly codeVersion: string;
  /** A resumed run waits again: the same links are sent as a reminder. */
  readonly reminder: boolean;
}

/** Where the messages go and how links are built. */
export interface ApprovalDelivery {
  readonly topicArn: string;
  readonly pageBaseUrl: string;
  readonly key: Buffer;
}

const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/gu, ' ');

function subjectOf(notice: ApprovalNotice): string {
  const prefix = notice.reminder ? 'Reminder: approve' : 'Approve';
  return cutText(printable(`${prefix} stage ${notice.stage} of backfill run ${notice.runId}`), MAX_SUBJECT_CHARS);
}

function bodyOf(notice: ApprovalNotice, approver: string, link: string): string {
  const waitingFor = notice.quorum === 1 ? 'one approver' : `${notice.quorum} of ${notice.approvers.length} approvers`;
  return [
    ...(notice.reminder ? ['Reminder: the run was resumed and still waits for a decision; this is the same link as before.', ''] : []),
    `${notice.startedBy} started backfill run ${notice.runId} (transform ${notice.transform}, code ${notice.codeVersion}).`,
    `Its ${notice.stage} stage is written and validated; the rest of the run waits for ${waitingFor} to approve.`,
    '',
    `Review the evidence and approve or reject (this link is yours, ${approver}; do not forward it):`,
    link,
    '',
    `The link expires at ${notice.expiresAt.toISOString()}. Without a decision by then the run is rejected.`,
    `Approval id: ${notice.approvalId}`,
  ].join('\n');
}

/**
 * One SNS message per approver, each with that approver's own signed link and the `approver`
 * message attribute the subscriptions' filter policies match. No message holds the task token.
 *
 * @example
 * const messages = approvalMessages(notice, { topicArn, pageBaseUrl, key });
 * for (const message of messages) await notifier.publish(message);
 */
export function approvalMessages(notice: ApprovalNotice, delivery: ApprovalDelivery): PublishCommandInput[] {
  return notice.approvers.map((approver) => {
    const link = approvalLink({ baseUrl: delivery.pageBaseUrl, approvalId: notice.approvalId, approver, expiresAt: notice.expiresAt }, delivery.key);
    return {
      TopicArn: delivery.topicArn,
      Subject: subjectOf(notice),
      Message: bodyOf(notice, approver, link),
      MessageAttributes: { approver: { DataType: 'String', StringValue: approver } },
    };
  });
}
