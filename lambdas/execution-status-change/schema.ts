import { z } from 'zod';

/**
 * The EventBridge event Step Functions sends for an execution's status change (detail-type
 * "Step Functions Execution Status Change", source "aws.states"), as a rule's target receives it;
 * the local cloud delivers the same shape (ExecutionStatusChangeEvent in local/cloud/stepfunctions/types.ts).
 */
export const ExecutionStatusChangeEventSchema = z.object({
  version: z.literal('0'),
  id: z.string().min(1),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  source: z.literal('aws.states'),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.object({
    executionArn: z.string().min(1),
    stateMachineArn: z.string().min(1),
    name: z.string().min(1).max(80),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']),
    startDate: z.number(),
    stopDate: z.number().nullable(),
    /** Null when the input was too large to include (`inputDetails.included: false`): the run is then the execution name's. */
    input: z.string().nullable(),
    output: z.string().nullable(),
    error: z.string().nullable(),
    cause: z.string().nullable(),
  }),
});
