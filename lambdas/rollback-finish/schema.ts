import { z } from 'zod';
import { MapResultSchema, RollbackManifestRefSchema } from '../lib/rollback';

export const RollbackFinishEventSchema = z.object({
  runId: z.string().min(1),
  mode: z.enum(['apply', 'rehearse']),
  manifest: RollbackManifestRefSchema,
  mapResult: MapResultSchema,
});
