import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/** What a backfill stack is made of, as its CloudFormation outputs (or `local up`'s endpoints.json) name it. */
export interface StackResources {
  readonly backfillStateMachineArn: string;
  readonly rollbackStateMachineArn: string;
  readonly ledgerTable: string;
  readonly artifactsBucket: string;
  readonly sourceBucket: string;
}

/** Where a command acts: a deployed stack on AWS, or a `local up` on this machine; the same APIs either way. */
export interface Target {
  readonly kind: 'aws' | 'local';
  /** For messages: `the local cloud of .backfill-local`, `stack Backfill in eu-west-1`. */
  readonly label: string;
  readonly region: string;
  readonly resources: StackResources;
  readonly sfn: SFNClient;
  /** For DescribeTable (key types of a target table). */
  readonly dynamodb: DynamoDBClient;
  /** The deps the ledger's domain functions take, bound to this target's tables and bucket. */
  readonly deps: Deps;
  /** The decision endpoint of `backfill approve|reject`; undefined when the stack (an older one) or local cloud serves none. */
  readonly decisionEndpoint?: DecisionEndpoint;
  /** The control endpoint of `backfill pause|resume|abort|breaker open|close`; undefined when the stack (an older one) or local cloud serves none. */
  readonly controlEndpoint?: ControlEndpoint;
  /** Who is acting: the STS caller ARN on AWS, `local:<os user>` locally. */
  callerIdentity(): Promise<string>;
  close(): void;
}

/** How the command line picks a target. */
export interface TargetOptions {
  /** `--local [DIR]`: true when given without a dir. */
  readonly local?: string | true;
  readonly stack?: string;
  readonly region?: string;
  readonly profile?: string;
}

export type AwsService = 'cloudformation' | 'sts' | 'dynamodb' | 's3' | 'sfn';

/**
 * Extra client settings per AWS service, merged over the CLI's own (region, profile). Tests point
 * the clients at emulators and a recording server this way; the SDK's own `AWS_ENDPOINT_URL_<SERVICE>`
 * variables do the same for a user.
 */
export type ClientConfigOverrides = (service: AwsService) => Record<string, unknown> | undefined;

/** Where `backfill approve|reject` sends its decision, and how the caller proves who it is. */
export interface DecisionEndpoint {
  /** `https://<id>.lambda-url.<region>.on.aws/decisions` (the stack's ApprovalDecideUrl), or the local approval server's `/decisions`. */
  readonly url: string;
  /** POSTs the JSON body as the caller: SigV4-signed for the AWS_IAM Function URL, or naming the local identity. */
  post(body: string): Promise<{ readonly statusCode: number; readonly body: string }>;
}

/** Where `backfill pause|resume|abort|breaker` sends its action (the stack's ControlsUrl, or the local approval server's `/controls`), signed or named as for decisions. */
export type ControlEndpoint = DecisionEndpoint;
