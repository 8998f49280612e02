import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { ApprovalNotifier } from '../../lambdas/lib/approval';
import type { Clock } from '../../lambdas/lib/runtime/Clock';
import { outboxWriter } from '../outbox/outboxWriter';
import { OutboxWriteError } from './errors';

/** One approval message as the outbox delivered it. */
export interface DeliveredApprovalMessage {
  /** The message attribute `approver` (each subscription's filter policy matches on it). */
  readonly approver: string;
  /** The approver's link found in the message, when it names one on the approval page. */
  readonly link?: string;
  /** The file the PublishCommandInput was written to. */
  readonly file: string;
}

export interface OutboxNotifierOptions {
  /** DIR/outbox (created when missing). */
  readonly directory: string;
  /** The approval page's base URL: a link in a message is the first `<base>/approvals/…` in it. */
  readonly pageBaseUrl: string;
  readonly clock: Clock;
  /** Called after each message is written (the stderr line, the unattended demo approver). */
  readonly onDelivered?: (message: DeliveredApprovalMessage) => void;
}

/** Characters kept in a file name; others (a `/` in an odd address) become `_`. */
const unsafeInFileName = /[^A-Za-z0-9@._+-]/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The local stand-in for the approval SNS topic and its email subscriptions: each published message
 * becomes `DIR/outbox/<time>-<seq>-<approver>.json` holding the PublishCommandInput as given,
 * written whole (a temp file renamed into place). The sequence continues from the files already
 * there, so a resumed run's messages sort after the earlier ones.
 * @throws OutboxWriteError when the file cannot be written (publish rejects, as SNS would)
 * @example
 *   const notifier = outboxNotifier({ directory: join(dataDir, 'outbox'), pageBaseUrl: server.url, clock, onDelivered: (m) => info(`approval link (${m.approver}): ${m.link}`) });
 *   await notifier.publish({ TopicArn, Message, MessageAttributes: { approver: { DataType: 'String', StringValue: 'alice@example.com' } } });
 */
export function outboxNotifier(options: OutboxNotifierOptions): ApprovalNotifier {
  const linkPattern = new RegExp(`${escapeRegExp(options.pageBaseUrl.replace(/\/+$/, ''))}/approvals/[^\\s"'<>]+`);
  const outbox = outboxWriter({ directory: options.directory, clock: options.clock, sequenceOf: /^\d{8}T\d{6}Z-(\d+)-/, errorOf: (path, cause) => new OutboxWriteError(path, { cause }) });
  return {
    publish: async (input: PublishCommandInput) => {
      const approver = input.MessageAttributes?.approver?.StringValue ?? 'unaddressed';
      const file = outbox.write(approver.replace(unsafeInFileName, '_'), input);
      const link = linkPattern.exec(input.Message ?? '')?.[0];
      options.onDelivered?.({ approver, file, ...(link ? { link } : {}) });
    },
  };
}
