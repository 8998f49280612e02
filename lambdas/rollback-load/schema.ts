import { z } from 'zod';

/** LoadRollback receives the raw execution input (untrusted); the domain validates it and names every bad field. */
export const RollbackLoadEventSchema = z.object({ input: z.unknown() });
