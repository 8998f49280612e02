import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_TARGET_TABLE, LEDGER_TABLE, LOCAL_NAMES } from '../../infra/definitions';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { localClients } from '../aws';
import { systemClock, type Clock } from '../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { startDynalite, startS3rver } from '../emulators';
import { ensureBucket, ensureTable } from './ensureResources';

/** Emulators, tables and buckets of one local run, and the deps its handlers use. */
export interface LocalEnvironment {
  readonly clients: AwsClients;
  readonly deps: Deps;
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  close(): Promise<void>;
}

export interface LocalEnvironmentOptions {
  /** Keep emulator state here (dynamodb/ and s3/ below it). @default - in memory / a temp dir, discarded */
  readonly dataDir?: string;
  readonly codeVersion: string;
  readonly clock?: Clock;
}

/**
 * Starts dynalite and s3rver on loopback and creates the ledger, the demo target table and the
 * buckets from the same definitions the stack deploys.
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  const dynamoPath = options.dataDir ? join(options.dataDir, 'dynamodb') : undefined;
  const s3Path = options.dataDir ? join(options.dataDir, 's3') : undefined;
  if (dynamoPath) mkdirSync(dynamoPath, { recursive: true });
  if (s3Path) mkdirSync(s3Path, { recursive: true });
  const dynamo = await startDynalite({ path: dynamoPath });
  const s3 = await startS3rver({ directory: s3Path });
  const clients = localClients({ dynamodbEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint });
  try {
    await ensureTable(clients.ddb, LOCAL_NAMES.ledgerTable, LEDGER_TABLE);
    await ensureTable(clients.ddb, LOCAL_NAMES.demoTargetTable, DEMO_TARGET_TABLE);
    await ensureBucket(clients.s3, LOCAL_NAMES.artifactsBucket);
    await ensureBucket(clients.s3, LOCAL_NAMES.sourceBucket);
  } catch (error) {
    await Promise.allSettled([dynamo.close(), s3.close()]);
    throw error;
  }
  return {
    clients,
    dynamodbEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    deps: {
      clients,
      ledgerTable: LOCAL_NAMES.ledgerTable,
      artifactsBucket: LOCAL_NAMES.artifactsBucket,
      clock: options.clock ?? systemClock,
      codeVersion: options.codeVersion,
    },
    close: async () => {
      clients.ddb.destroy();
      clients.s3.destroy();
      await Promise.allSettled([dynamo.close(), s3.close()]);
    },
  };
}
