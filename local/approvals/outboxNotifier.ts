import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { ApprovalNotifier } from '../../lambdas/lib/approval';
import type { Clock } from '../../lambdas/lib/runtime/Clock';
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

/** `20261201T134128Z`: sorts by time; the sequence number after it orders messages of one second. */
const compactTime = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

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
  let sequence: number | undefined;
  const nextSequence = (): number => {
    sequence ??= Math.max(0, ...readdirSync(options.directory).map((name) => Number(/^\d{8}T\d{6}Z-(\d+)-/.exec(name)?.[1] ?? 0)));
    return ++sequence;
  };
  return {
    publish: async (input: PublishCommandInput) => {
      try {
        mkdirSync(options.directory, { recursive: true });
      } catch (error) {
        throw new OutboxWriteError(options.directory, { cause: error });
      }
      const approver = input.MessageAttributes?.approver?.StringValue ?? 'unaddressed';
      const name = `${compactTime(options.clock.nowMs())}-${String(nextSequence()).padStart(6, '0')}-${approver.replace(unsafeInFileName, '_')}.json`;
      const file = join(options.directory, name);
      const temp = join(options.directory, `.${name}.tmp`);
      try {
        writeFileSync(temp, `${JSON.stringify(input, null, 2)}\n`);
        renameSync(temp, file);
      } catch (error) {
        rmSync(temp, { force: true });
        throw new OutboxWriteError(file, { cause: error });
      }
      const link = linkPattern.exec(input.Message ?? '')?.[0];
      options.onDelivered?.({ approver, file, ...(link ? { link } : {}) });
    },
  };
}
