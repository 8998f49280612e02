import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { Clock } from '../../lambdas/lib/runtime/Clock';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../engine/arns';
import { outboxWriter } from '../outbox/outboxWriter';
import { OperationsOutboxWriteError } from './errors';

/** The topic the local outbox stands in for (the stack's operations topic). */
export const LOCAL_OPERATIONS_TOPIC_ARN = `arn:aws:sns:${LOCAL_REGION}:${LOCAL_ACCOUNT}:backfill-operations`;

/** One operations message as the outbox delivered it. */
export interface DeliveredOperationsMessage {
  readonly subject?: string;
  readonly message: string;
  /** The file the PublishCommandInput was written to. */
  readonly file: string;
}

export interface OperationsOutboxOptions {
  /** DIR/outbox (created when missing), shared with the approval messages. */
  readonly directory: string;
  readonly clock: Clock;
  /** Called after each message is written (the stderr line). */
  readonly onDelivered?: (message: DeliveredOperationsMessage) => void;
}

const OPERATIONS_FILE = /^\d{8}T\d{6}Z-(\d+)-operations\.json$/;

/**
 * The local stand-in for the operations SNS topic and the operators' email subscriptions (the
 * breaker's OperationsNotifier locally): each published message becomes
 * `DIR/outbox/<time>-<seq>-operations.json` holding the PublishCommandInput as given, written whole
 * (a temp file renamed into place); the sequence continues from the operations files already there.
 * @throws OperationsOutboxWriteError when the file cannot be written (publish rejects, as SNS would)
 * @example
 *   const operations = operationsOutbox({ directory: join(dataDir, 'outbox'), clock, onDelivered: (m) => info(operationsMessageLine(m)) });
 *   await operations.publish({ TopicArn: operations.topicArn, Subject: 'Backfill breaker opened', Message: '...' });
 */
export function operationsOutbox(options: OperationsOutboxOptions): { readonly topicArn: string; publish(input: PublishCommandInput): Promise<void> } {
  const outbox = outboxWriter({ directory: options.directory, clock: options.clock, sequenceOf: OPERATIONS_FILE, errorOf: (path, cause) => new OperationsOutboxWriteError(path, { cause }) });
  return {
    topicArn: LOCAL_OPERATIONS_TOPIC_ARN,
    publish: async (input) => {
      const file = outbox.write('operations', input);
      options.onDelivered?.({ ...(input.Subject ? { subject: input.Subject } : {}), message: input.Message ?? '', file });
    },
  };
}

/**
 * The stderr line of a delivered operations message: its subject (or first line) and its file.
 * @example
 *   operationsMessageLine({ subject: 'Backfill breaker opened', message: '...', file: '.backfill-local/outbox/20261201T120010Z-000001-operations.json' });
 *   // 'operations: Backfill breaker opened (.backfill-local/outbox/20261201T120010Z-000001-operations.json)'
 */
export function operationsMessageLine(message: DeliveredOperationsMessage): string {
  return `operations: ${message.subject ?? message.message.split('\n')[0]} (${message.file})`;
}
