import { z } from 'zod';
import { PlannedStageSchema } from '../lib/stages';

/** `next`: where the staged run goes on (the state's `$.plan` carries the stages Plan returned). */
const NextEventSchema = z.object({
  action: z.literal('next'),
  runId: z.string().min(1),
  plan: z.object({ stages: z.array(PlannedStageSchema).optional() }),
});

/** `complete`: passes the stage, by its approval (RequestApproval's output) when it had one. */
const CompleteEventSchema = z.object({
  action: z.literal('complete'),
  runId: z.string().min(1),
  stage: PlannedStageSchema,
  approval: z.object({ approvalId: z.string().min(1), approvedBy: z.array(z.string().min(1)).min(1) }).optional(),
});

export const StagesEventSchema = z.discriminatedUnion('action', [NextEventSchema, CompleteEventSchema]);
