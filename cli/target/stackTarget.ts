import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../lambdas/lib/runtime/Clock';
import { awsIdentity } from '../identity';
import { signedControlEndpoint, signedDecisionEndpoint } from './decisionEndpoints';
import { StackNotFoundError, StackOutputsMissingError } from '../errors';
import type { ClientConfigOverrides, StackResources, Target } from './Target';

/** The stack's CfnOutputs (infra/BackfillStack.ts) the CLI reads, by the resource they name. */
const OUTPUTS: Readonly<Record<keyof StackResources, string>> = {
  backfillStateMachineArn: 'StateMachineArn',
  rollbackStateMachineArn: 'RollbackStateMachineArn',
  ledgerTable: 'LedgerTableName',
  artifactsBucket: 'ArtifactsBucketName',
  sourceBucket: 'SourceBucketName',
};

export interface StackTargetOptions {
  readonly stack: string;
  readonly region?: string;
  readonly profile?: string;
  readonly overrides?: ClientConfigOverrides;
}

/**
 * The target of `--stack NAME`: the stack's resources from CloudFormation DescribeStacks, clients
 * from the SDK's default credential chain (or `--profile`).
 * @throws StackNotFoundError when the region has no such stack
 * @throws StackOutputsMissingError when the stack lacks one of the outputs
 * @example
 *   const target = await stackTarget({ stack: 'Backfill', region: 'eu-west-1' });
 */
export async function stackTarget(options: StackTargetOptions): Promise<Target> {
  const config = (service: Parameters<ClientConfigOverrides>[0]) => ({
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...options.overrides?.(service),
  });
  const cloudFormation = new CloudFormationClient(config('cloudformation'));
  let resources: StackResources;
  let decideUrl: string | undefined;
  let controlsUrl: string | undefined;
  let region: string;
  try {
    region = await cloudFormation.config.region();
    ({ resources, decideUrl, controlsUrl } = await readStackResources(cloudFormation, options.stack, region));
  } finally {
    cloudFormation.destroy();
  }
  const sfn = new SFNClient(config('sfn'));
  const dynamodb = new DynamoDBClient(config('dynamodb'));
  const ddb = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const s3 = new S3Client(config('s3'));
  return {
    kind: 'aws',
    label: `stack ${options.stack} in ${region}`,
    region,
    resources,
    sfn,
    dynamodb,
    deps: { clients: { ddb, s3 }, ledgerTable: resources.ledgerTable, artifactsBucket: resources.artifactsBucket, clock: systemClock, codeVersion: 'cli' },
    ...(decideUrl === undefined ? {} : { decisionEndpoint: signedDecisionEndpoint(decideUrl, region, sfn.config.credentials) }),
    ...(controlsUrl === undefined ? {} : { controlEndpoint: signedControlEndpoint(controlsUrl, region, sfn.config.credentials) }),
    callerIdentity: async () => {
      const sts = new STSClient(config('sts'));
      try {
        return await awsIdentity(sts);
      } finally {
        sts.destroy();
      }
    },
    close: () => {
      sfn.destroy();
      dynamodb.destroy();
      s3.destroy();
    },
  };
}

/** The optional output naming the decision endpoint of `backfill approve|reject` (absent on a stack deployed before it). */
const DECIDE_URL_OUTPUT = 'ApprovalDecideUrl';
/** The optional output naming the control endpoint of `backfill pause|resume|abort|breaker` (absent on a stack deployed before it). */
const CONTROLS_URL_OUTPUT = 'ControlsUrl';

async function readStackResources(cloudFormation: CloudFormationClient, stackName: string, region: string): Promise<{ resources: StackResources; decideUrl: string | undefined; controlsUrl: string | undefined }> {
  let outputs: ReadonlyArray<{ OutputKey?: string; OutputValue?: string }>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    // CloudFormation answers an unknown stack with a ValidationError "Stack with id X does not exist".
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) throw new StackNotFoundError(stackName, region, { cause: error });
    throw error;
  }
  const value = (key: string) => outputs.find((output) => output.OutputKey === key)?.OutputValue;
  const missing = Object.values(OUTPUTS).filter((key) => !value(key));
  if (missing.length > 0) throw new StackOutputsMissingError(stackName, missing);
  return { resources: Object.fromEntries(Object.entries(OUTPUTS).map(([field, key]) => [field, value(key)!])) as unknown as StackResources, decideUrl: value(DECIDE_URL_OUTPUT), controlsUrl: value(CONTROLS_URL_OUTPUT) };
}
