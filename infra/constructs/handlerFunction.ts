import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { HandlerDefinition, HandlerId } from '../../lambdas/handlers';
import { DEFAULT_METRICS_NAMESPACE } from '../../lambdas/lib/health/metricNames';
import { REPO_ROOT } from '../paths';
import type { ArtifactStore } from './ArtifactStore';
import type { Ledger } from './Ledger';
import { acknowledgeStarResource } from './nagAcknowledgements';

/** What every handler function of the stack shares: its environment and log retention. */
export interface HandlerFunctionCommonProps {
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  /** Pinned on every run record (env `CODE_VERSION`), so a resumed run can tell it runs other code. */
  readonly codeVersion: string;
  /**
   * How long the functions' log groups keep logs.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Powertools service name (env `POWERTOOLS_SERVICE_NAME`).
   * @default 'backfill-orchestrator'
   */
  readonly serviceName?: string;
  /**
   * CloudWatch namespace of the Powertools metrics (env `POWERTOOLS_METRICS_NAMESPACE`); the
   * breaker's alarms and the dashboard read the same.
   * @default DEFAULT_METRICS_NAMESPACE ('Backfill')
   */
  readonly metricsNamespace?: string;
  /**
   * Close the breaker by itself once its composite alarm has been OK this long (env
   * `BREAKER_AUTO_CLOSE_SECONDS`, read by the breaker handler and the gate check).
   * @default - never: only an operator closes the breaker
   */
  readonly breakerAutoCloseAfterSeconds?: number;
}

/**
 * Creates the Lambda function of one registry row (lambdas/handlers.ts) under `scope`: its entry
 * bundled with esbuild, arm64, active tracing, its own log group and its own role that may write
 * only that log group (and X-Ray). Grant it what its handler does, nothing more.
 */
export function createHandlerFunction(
  scope: Construct,
  id: HandlerId,
  settings: HandlerDefinition,
  props: HandlerFunctionCommonProps,
): { readonly fn: lambda.Function; readonly role: iam.Role } {
  const logGroup = new logs.LogGroup(scope, `${settings.constructId}Logs`, { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS });
  const role = new iam.Role(scope, `${settings.constructId}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Runs the backfill ${id} Lambda function`,
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
  const fn = new nodejs.NodejsFunction(scope, settings.constructId, {
    entry: path.join(REPO_ROOT, settings.entry),
    handler: 'handler',
    projectRoot: REPO_ROOT,
    depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
    description: settings.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: settings.memorySizeMb,
    timeout: Duration.seconds(settings.timeoutSeconds),
    tracing: lambda.Tracing.ACTIVE,
    role,
    logGroup,
    environment: {
      LEDGER_TABLE_NAME: props.ledger.table.tableName,
      ARTIFACTS_BUCKET_NAME: props.artifacts.bucket.bucketName,
      CODE_VERSION: props.codeVersion,
      POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'backfill-orchestrator',
      POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
      // The `Stack` dimension of every metric (lambdas/lib/health/metricNames.ts).
      BACKFILL_STACK_NAME: Stack.of(scope).stackName,
      ...(props.breakerAutoCloseAfterSeconds === undefined ? {} : { BREAKER_AUTO_CLOSE_SECONDS: String(props.breakerAutoCloseAfterSeconds) }),
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: { minify: true, sourceMap: true, sourcesContent: false, externalModules: ['@aws-sdk/*'] },
  });
  acknowledgeStarResource(role, 'X-Ray PutTraceSegments/PutTelemetryRecords (added by Tracing.ACTIVE) support no resource-level permissions; AWS requires Resource "*".');
  return { fn, role };
}
