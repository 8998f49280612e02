import type { HistoryEventBody } from '../../../engine';
import type { ClosedStatus, ExecutionRecord } from './ExecutionRecord';

/** The history event that closes an execution with each status, and its AWS details member. */
const CLOSING_EVENTS: Readonly<Record<ClosedStatus, { readonly type: string; readonly details: string }>> = {
  SUCCEEDED: { type: 'ExecutionSucceeded', details: 'executionSucceededEventDetails' },
  FAILED: { type: 'ExecutionFailed', details: 'executionFailedEventDetails' },
  ABORTED: { type: 'ExecutionAborted', details: 'executionAbortedEventDetails' },
  TIMED_OUT: { type: 'ExecutionTimedOut', details: 'executionTimedOutEventDetails' },
};

/** How an execution closed: what its record and closing event carry. */
export interface Closing {
  readonly status: ClosedStatus;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * The closing history event of an execution, shaped like AWS's (`ExecutionSucceeded` with
 * `executionSucceededEventDetails: { output, outputDetails }`, the others with `error` and `cause`).
 * @example
 *   closingEvent({ status: 'ABORTED', error: 'StoppedByOperator', cause: '...' })
 *   // { type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'StoppedByOperator', cause: '...' } }
 */
export function closingEvent(closing: Closing): HistoryEventBody {
  const { type, details } = CLOSING_EVENTS[closing.status];
  if (closing.status === 'SUCCEEDED') return { type, [details]: { output: closing.output ?? 'null', outputDetails: { truncated: false } } };
  return { type, [details]: { ...(closing.error !== undefined ? { error: closing.error } : {}), ...(closing.cause !== undefined ? { cause: closing.cause } : {}) } };
}

/**
 * How the execution closed, read back from its last history event, or undefined when it is not a
 * closing event. Why: the closing event is written before the record, so a crash between the two
 * leaves a RUNNING record whose history says how it ended.
 * @example
 *   closingOf({ type: 'ExecutionFailed', executionFailedEventDetails: { error: 'Boom', cause: 'x' } }) // { status: 'FAILED', error: 'Boom', cause: 'x' }
 */
export function closingOf(event: { readonly type: string; readonly [member: string]: unknown } | undefined): Closing | undefined {
  if (!event) return undefined;
  const entry = (Object.entries(CLOSING_EVENTS) as Array<[ClosedStatus, { type: string; details: string }]>).find(([, closing]) => closing.type === event.type);
  if (!entry) return undefined;
  const [status, { details }] = entry;
  const member = (event[details] ?? {}) as Partial<Record<'output' | 'error' | 'cause', unknown>>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return { status, output: text(member.output), error: text(member.error), cause: text(member.cause) };
}

/**
 * The record after closing.
 * @example
 *   closedRecord(running, { status: 'SUCCEEDED', output: '{}' }, Date.now()).status // 'SUCCEEDED'
 */
export function closedRecord(record: ExecutionRecord, closing: Closing, stopDateMs: number): ExecutionRecord {
  return {
    ...record,
    status: closing.status,
    stopDateMs,
    ...(closing.output !== undefined ? { output: closing.output } : {}),
    ...(closing.error !== undefined ? { error: closing.error } : {}),
    ...(closing.cause !== undefined ? { cause: closing.cause } : {}),
  };
}
