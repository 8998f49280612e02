import { z } from 'zod';

/** RequestApproval's Payload: `{ runId, stage, evidenceKey?, approvalId?, taskToken }` (`$$.Task.Token`). */
export const RequestApprovalEventSchema = z
  .object({
    runId: z.string().min(1),
    stage: z.string().min(1),
    taskToken: z.string().min(1),
    evidenceKey: z.string().min(1).optional(),
    approvalId: z.string().min(1).optional(),
  })
  .strict();
