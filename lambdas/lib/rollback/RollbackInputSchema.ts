import { z } from 'zod';
import { InvalidRollbackInputError } from './errors';

/**
 * The rollback state machine's execution input (console, CLI). `mode: "rehearse"` checks without
 * writing; `force` allows rolling back a run still marked RUNNING (the operator asserts it is
 * stopped); `keepNewerRunWrites` allows rolling back a run that later runs wrote over, leaving the
 * items they wrote as they are (conflicts). Two flags for two different risks: forcing past one
 * never accepts the other. `requestedBy` (who asks; the backfill CLI sets it) and `reason` go on the
 * audit trail.
 * @example
 *   { "runId": "orders-fix-rounding-3d189e9b12b3" }
 *   { "runId": "orders-fix-rounding-3d189e9b12b3", "mode": "rehearse" }
 *   { "runId": "orders-fix-rounding-3d189e9b12b3", "keepNewerRunWrites": true }
 *   { "runId": "orders-fix-rounding-3d189e9b12b3", "requestedBy": "local:ana", "reason": "wrong rounding" }
 *   { "runId": "orders-fix-rounding-3d189e9b12b3", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID": "arn:aws:states:…:execution:Backfill:…" }
 */
export const RollbackInputSchema = z
  .object({
    runId: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required (the run to roll back: its execution name)' : 'must be a string') })
      .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1–80 of A-Z a-z 0-9 _ - (the run\'s execution name)'),
    mode: z.enum(['apply', 'rehearse'], { error: 'must be "apply" or "rehearse"' }).default('apply'),
    force: z.boolean({ error: 'must be true or false' }).default(false),
    keepNewerRunWrites: z.boolean({ error: 'must be true or false' }).default(false),
    requestedBy: z
      .string({ error: 'must be a string (who asks for the rollback, e.g. an IAM ARN)' })
      .min(1, 'must not be empty (who asks for the rollback, e.g. an IAM ARN); set it or leave it out')
      .max(2048, 'must be at most 2048 characters (who asks for the rollback)')
      .optional(),
    reason: z.string({ error: 'must be a string (why the run is rolled back)' }).max(8000, 'must be at most 8000 characters').optional(),
    /** Set by a parent execution that starts the rollback (`startExecution.sync`), which links the two in the console. */
    AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: z.string({ error: 'must be a string (the parent execution\'s ARN)' }).min(1).max(2048).optional(),
  })
  .strict();

export type RollbackInput = z.output<typeof RollbackInputSchema>;
export type RollbackMode = RollbackInput['mode'];

/**
 * Validates a rollback execution input.
 * @throws InvalidRollbackInputError naming every bad field.
 */
export function parseRollbackInput(input: unknown): RollbackInput {
  const parsed = RollbackInputSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidRollbackInputError(
    parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return { field: 'input', message: `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` };
      return { field: issue.path.length > 0 ? `input.${issue.path.join('.')}` : 'input', message: issue.path.length > 0 ? issue.message : 'must be a JSON object' };
    }),
  );
}
