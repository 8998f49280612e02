import { z } from 'zod';
import { PlanResultSchema } from '../finalize/schema';
import { SpecSchema } from '../lib/spec';
import { PlannedStageSchema } from '../lib/stages';

/** After a distributed Map (or its Catch of States.ExceedToleratedFailureThreshold, with the `error`). */
const AfterMapEventSchema = z.object({
  action: z.literal('after-map'),
  runId: z.string().min(1),
  spec: SpecSchema,
  plan: PlanResultSchema,
  stage: PlannedStageSchema.optional(),
  error: z.object({ Error: z.string(), Cause: z.string().default('') }).optional(),
});

/** WaitForOperator's Payload: the token the workflow waits on. */
const AwaitOperatorEventSchema = z.object({ action: z.literal('await-operator'), runId: z.string().min(1), taskToken: z.string().min(1).max(2048) });

/** MarkAborted: the map drained. */
const MarkAbortedEventSchema = z.object({ action: z.literal('mark-aborted'), runId: z.string().min(1) });

/** AbortAfterTimeout: WaitForOperator timed out (pauseTimeoutSeconds). */
const AbortAfterTimeoutEventSchema = z.object({ action: z.literal('abort-after-timeout'), runId: z.string().min(1), pauseTimeoutSeconds: z.number().int().min(1) });

export const CheckGateEventSchema = z.discriminatedUnion('action', [AfterMapEventSchema, AwaitOperatorEventSchema, MarkAbortedEventSchema, AbortAfterTimeoutEventSchema]);
