import type { ChildExecutionType } from '../types';

/** One child execution of a Map Run, from PENDING to its end. */
export interface ChildRecord {
  readonly index: number;
  readonly input: unknown;
  readonly itemCount: number;
  status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  name?: string;
  arn?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  /** Epoch milliseconds (numbers, not Dates: one record per child is kept until the Map Run ends). */
  startedAt?: number;
  stoppedAt?: number;
}

/**
 * A child as Step Functions exports it with the default `NONE` transformation (ResultWriter files,
 * and failed children in a Map's array output): Input and Output are JSON strings, plus the
 * execution's metadata. Never-started children only carry their Input and PENDING status.
 */
export function toResultEntry(child: ChildRecord, stateMachineArn: string, executionType: ChildExecutionType): Record<string, unknown> {
  const input = { Input: JSON.stringify(child.input), InputDetails: { Included: true } };
  if (child.status === 'PENDING' || child.arn === undefined) return { ...input, Status: 'PENDING' };
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  const dates = { StartDate: iso(child.startedAt), StateMachineArn: stateMachineArn, Status: child.status, StopDate: iso(child.stoppedAt) };
  if (child.status === 'SUCCEEDED') {
    return {
      ExecutionArn: child.arn,
      ...input,
      Name: child.name,
      Output: JSON.stringify(child.output),
      OutputDetails: { Included: true },
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      ...dates,
    };
  }
  return {
    Cause: child.cause,
    Error: child.error,
    ExecutionArn: child.arn,
    ...input,
    Name: child.name,
    RedriveCount: 0,
    RedriveStatus: executionType === 'EXPRESS' ? 'REDRIVABLE_BY_MAP_RUN' : 'REDRIVABLE',
    ...dates,
  };
}
