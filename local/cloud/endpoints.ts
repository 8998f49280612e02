import { z } from 'zod';

/** Written by `backfill local up` into its data dir; read by `backfill --local DIR` and any AWS tool's set-up. */
export const ENDPOINTS_FILE = 'endpoints.json';

export const EndpointsFileSchema = z.object({
  dynamodb: z.string().url(),
  /** The fault proxy in front of `dynamodb` the handlers' requests go through, when `local up --inject-faults` runs. */
  dynamodbFaults: z.string().url().optional(),
  s3: z.string().url(),
  stepfunctions: z.string().url(),
  /** The approval page: the base URL of every approval link the local outbox delivers. Absent in a file an older `local up` wrote. */
  approvals: z.string().url().optional(),
  region: z.string().min(1),
  account: z.string().regex(/^\d{12}$/),
  /** The stack's resources as the local cloud created them: what a stack's outputs name on AWS. */
  resources: z.object({
    backfillStateMachineArn: z.string().min(1),
    rollbackStateMachineArn: z.string().min(1),
    ledgerTable: z.string().min(1),
    artifactsBucket: z.string().min(1),
    sourceBucket: z.string().min(1),
  }),
  /** The `local up` process (to tell a live one from a stale file). */
  pid: z.number().int().positive(),
});
export type EndpointsFile = z.infer<typeof EndpointsFileSchema>;
