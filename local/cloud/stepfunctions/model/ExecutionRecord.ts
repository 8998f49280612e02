import { z } from 'zod';

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionApiStatus = (typeof EXECUTION_STATUSES)[number];
export type ClosedStatus = Exclude<ExecutionApiStatus, 'RUNNING'>;

/** One execution as kept in the state dir (record.json): what DescribeExecution answers from. */
export const ExecutionRecordSchema = z.object({
  /** Creation order in this state dir: ListExecutions lists newest (highest) first. */
  seq: z.number().int().positive(),
  name: z.string().min(1),
  executionArn: z.string().min(1),
  stateMachineName: z.string().min(1),
  /** The input exactly as StartExecution got it (compared verbatim for idempotent starts). */
  input: z.string(),
  status: z.enum(EXECUTION_STATUSES),
  startDateMs: z.number(),
  stopDateMs: z.number().optional(),
  /** JSON text, when SUCCEEDED. */
  output: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  /** Times the execution was started again from its first state after the server stopped under it. */
  redriveCount: z.number().int().nonnegative(),
  redriveDateMs: z.number().optional(),
  /**
   * The outbox: the closing status-change event, until `onExecutionStatusChange` took it. Written
   * with the closing record, so a crash before the delivery leaves it here: it is delivered at the
   * next start (EventBridge delivers at least once; the same `id` and `time` each time).
   */
  owedStatusChange: z.object({ id: z.string().min(1), timeMs: z.number() }).optional(),
});
export type ExecutionRecord = z.infer<typeof ExecutionRecordSchema>;
export type OwedStatusChange = NonNullable<ExecutionRecord['owedStatusChange']>;

/** One numbered, stamped history event (history.jsonl): `type` plus its AWS details member. */
export const StoredHistoryEventSchema = z
  .object({
    id: z.number().int().positive(),
    previousEventId: z.number().int().nonnegative(),
    timestampMs: z.number(),
    type: z.string().min(1),
  })
  .catchall(z.unknown());
export type StoredHistoryEvent = z.infer<typeof StoredHistoryEventSchema>;
