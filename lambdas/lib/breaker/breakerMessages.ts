import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { cutText } from '../text/cutText';
import type { BreakerRecord } from './BreakerRecord';

/** SNS refuses a Subject over 100 characters or with control characters. */
const MAX_SUBJECT_CHARS = 100;

const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/gu, ' ');
const subject = (text: string): string => cutText(printable(text), MAX_SUBJECT_CHARS);

/** Where the stack's runs are listed, and how an operator acts on the breaker; shared by every message. */
const RUNS_AFFECTED = [
  'Every run of this stack is affected: no batch starts writing while the breaker is open (batches in flight finish).',
  'Each run then applies its spec.onFailure: "pause" (the default) waits for an operator, "stop" ends it STOPPED, "rollback" rolls it back.',
  'Runs still in progress or paused: backfill list --status RUNNING, backfill list --status PAUSED (backfill status RUN for one).',
];

/**
 * The operations message of a breaker that just opened: what opened it, which alarms, the runs
 * affected and how to close it and resume. It holds no task token.
 * @example
 *   await notifier.publish(breakerOpenedMessage(breaker, notifier.topicArn));
 */
export function breakerOpenedMessage(breaker: BreakerRecord, topicArn: string): PublishCommandInput {
  const children = breaker.triggeringAlarms ?? [];
  return {
    TopicArn: topicArn,
    Subject: subject(`Backfill breaker OPEN: ${breaker.alarm?.name ?? breaker.openedBy ?? 'opened'}`),
    Message: [
      `The backfill circuit breaker opened at ${breaker.openedAt ?? '(unknown time)'}, opened by ${breaker.openedBy ?? 'unknown'}.`,
      `Reason: ${breaker.reason ?? '(none given)'}`,
      ...(breaker.alarm ? [`Alarm: ${breaker.alarm.name}${breaker.alarm.arn ? ` (${breaker.alarm.arn})` : ''}`] : []),
      ...(children.length > 0 ? ['Alarms in ALARM:', ...children.map((c) => `  - ${c.name} (${c.state})${c.reason ? `: ${c.reason}` : ''}${c.arn ? ` ${c.arn}` : ''}`)] : []),
      '',
      ...RUNS_AFFECTED,
      '',
      'When the cause is fixed:',
      "  1. close the breaker: backfill breaker close --reason '<what was fixed>'",
      '  2. resume each paused run: backfill resume RUN (or abort it: backfill abort RUN --reason ... [--rollback])',
      'The breaker never closes while you are away unless the stack sets autoCloseAfterSeconds; it is all in the audit trail (backfill breaker status).',
    ].join('\n'),
  };
}

/**
 * The operations message of a breaker that closed by itself (auto-close): paused runs still wait for
 * an operator's resume.
 * @example
 *   await notifier.publish(breakerAutoClosedMessage(breaker, notifier.topicArn));
 */
export function breakerAutoClosedMessage(breaker: BreakerRecord, topicArn: string): PublishCommandInput {
  return {
    TopicArn: topicArn,
    Subject: subject(`Backfill breaker closed: ${breaker.alarm?.name ?? 'alarm'} OK`),
    Message: [
      `The backfill circuit breaker closed at ${breaker.closedAt ?? '(unknown time)'} by ${breaker.closedBy ?? 'unknown'}: ${breaker.closeReason ?? ''}`,
      `It had opened at ${breaker.openedAt ?? '(unknown time)'} (${breaker.openedBy ?? 'unknown'}: ${breaker.reason ?? ''}).`,
      '',
      'Runs in progress claim batches again. Paused runs stay paused: resume each with backfill resume RUN (list them: backfill list --status PAUSED).',
    ].join('\n'),
  };
}
