import { z } from 'zod';
import { awsClients } from '../aws/clients';
import { systemClock } from './Clock';
import type { Deps } from './Deps';

/** The Lambda environment the stack sets; parsed once per cold start. */
export const EnvironmentSchema = z.object({
  LEDGER_TABLE_NAME: z.string().min(1, 'LEDGER_TABLE_NAME must name the ledger table'),
  ARTIFACTS_BUCKET_NAME: z.string().min(1, 'ARTIFACTS_BUCKET_NAME must name the artifacts bucket'),
  CODE_VERSION: z.string().min(1).default('dev'),
});

/** Dependencies of a handler running in Lambda: plain SDK clients (tests and the local runtime inject theirs). */
export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Deps {
  const parsed = EnvironmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Lambda environment is incomplete: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}; redeploy the stack`);
  }
  return {
    clients: awsClients(),
    ledgerTable: parsed.data.LEDGER_TABLE_NAME,
    artifactsBucket: parsed.data.ARTIFACTS_BUCKET_NAME,
    clock: systemClock,
    codeVersion: parsed.data.CODE_VERSION,
  };
}
