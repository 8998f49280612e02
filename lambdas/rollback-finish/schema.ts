import { z } from 'zod';
import { MapResultSchema, RollbackManifestRefSchema } from '../lib/rollback';

/**
 * `step: "begin"` (BeginRollback): act on the check of every batch, then start the rollback.
 * `step: "finish"` (FinishRollback, the default): verify and report (apply), or sum the rehearsal.
 */
export const RollbackFinishEventSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('begin'),
    runId: z.string().min(1),
    force: z.boolean(),
    keepNewerRunWrites: z.boolean(),
    manifest: RollbackManifestRefSchema,
    mapResult: MapResultSchema,
    /** LoadRollback's: who asked and why (null when the input does not say). */
    requestedBy: z.string().min(1).max(2048).nullable().optional(),
    reason: z.string().max(8000).nullable().optional(),
    executionArn: z.string().min(1).max(2048).optional(),
  }),
  z.object({
    step: z.literal('finish'),
    runId: z.string().min(1),
    mode: z.enum(['apply', 'rehearse']),
    /** Rehearse: as the rollback would be started, with or without force (its status check differs). */
    force: z.boolean().default(false),
    /** Rehearse: who asked for the rehearsal (LoadRollback's `requestedBy`), the actor of its audit event. */
    requestedBy: z.string().min(1).max(2048).nullable().optional(),
    manifest: RollbackManifestRefSchema,
    mapResult: MapResultSchema,
  }),
]);
