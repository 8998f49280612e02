import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock } from '../../lambdas/lib/runtime/Clock';
import { localClients } from '../../local/aws';
import { ENDPOINTS_FILE, EndpointsFileSchema, type EndpointsFile } from '../../local/cloud/endpoints';
import { localIdentity } from '../identity';
import { localControlEndpoint, localDecisionEndpoint } from './decisionEndpoints';
import { LocalCloudNotRunningError, LocalEndpointsInvalidError } from '../errors';
import type { Target } from './Target';

/** Where `local up` keeps its state unless told otherwise. */
export const DEFAULT_LOCAL_DATA_DIR = '.backfill-local';

/** The local cloud accepts any credentials; these keep the SDK from looking for real ones. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads DIR/endpoints.json and checks that the `local up` that wrote it still runs.
 * @throws LocalCloudNotRunningError when the file is missing or its process is gone
 * @throws LocalEndpointsInvalidError when the file is not what `local up` writes
 * @example
 *   const endpoints = readEndpointsFile('.backfill-local'); // endpoints.stepfunctions === 'http://127.0.0.1:4570'
 */
export function readEndpointsFile(dataDir: string, path = dataDir): EndpointsFile {
  const file = join(path, ENDPOINTS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LocalCloudNotRunningError(dataDir, `no ${file}`, { cause: error });
    throw new LocalEndpointsInvalidError(file, (error as Error).message, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LocalEndpointsInvalidError(file, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = EndpointsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LocalEndpointsInvalidError(file, `${issue.path.join('.') || 'the file'}: ${issue.message}`);
  }
  if (!isProcessAlive(parsed.data.pid)) throw new LocalCloudNotRunningError(dataDir, `its process ${parsed.data.pid} is gone`);
  return parsed.data;
}

/**
 * The target of `--local [DIR]`: the local cloud's Step Functions, DynamoDB and S3 endpoints.
 * `dataDir` is the dir as given (for messages), `path` where it is.
 * @example
 *   const target = localTarget('.backfill-local'); // target.kind === 'local'
 */
export function localTarget(dataDir: string, path = dataDir): Target {
  const endpoints = readEndpointsFile(dataDir, path);
  const clients = localClients({ dynamodbEndpoint: endpoints.dynamodb, s3Endpoint: endpoints.s3, region: endpoints.region });
  const sfn = new SFNClient({ endpoint: endpoints.stepfunctions, region: endpoints.region, credentials: LOCAL_CREDENTIALS });
  const dynamodb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: LOCAL_CREDENTIALS });
  const { resources } = endpoints;
  return {
    kind: 'local',
    label: `the local cloud of ${dataDir}`,
    region: endpoints.region,
    resources,
    sfn,
    dynamodb,
    deps: { clients, ledgerTable: resources.ledgerTable, artifactsBucket: resources.artifactsBucket, clock: systemClock, codeVersion: 'cli' },
    ...(endpoints.approvals === undefined
      ? {}
      : { decisionEndpoint: localDecisionEndpoint(endpoints.approvals, localIdentity()), controlEndpoint: localControlEndpoint(endpoints.approvals, localIdentity()) }),
    callerIdentity: async () => localIdentity(),
    close: () => {
      clients.ddb.destroy();
      clients.s3.destroy();
      sfn.destroy();
      dynamodb.destroy();
    },
  };
}
