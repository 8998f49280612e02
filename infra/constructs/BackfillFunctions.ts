import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REPO_ROOT } from '../paths';
import type { ArtifactStore } from './ArtifactStore';
import type { Ledger } from './Ledger';
import { acknowledgeStarResource, acknowledgeWildcardResources } from './nagAcknowledgements';
import type { SourceBuckets } from './SourceBuckets';
import type { TargetTables } from './TargetTables';

/** The Lambda handlers of the backfill workflow: each is `lambdas/<name>/handler.ts`, export `handler`. */
export type BackfillFunctionName = 'validate-spec' | 'start-run' | 'plan' | 'worker' | 'finalize' | 'mark-run-failed';

interface FunctionSettings {
  /** Construct id (PascalCase) and the stem of its ASL substitution key (`<id>FunctionArn`). */
  readonly id: string;
  readonly description: string;
  readonly memorySizeMb: number;
  /** At least the TimeoutSeconds of the ASL Task that invokes it (a test checks this). */
  readonly timeoutSeconds: number;
}

const FUNCTIONS: Readonly<Record<BackfillFunctionName, FunctionSettings>> = {
  'validate-spec': { id: 'ValidateSpec', description: 'Parses the execution input as a backfill spec', memorySizeMb: 256, timeoutSeconds: 60 },
  'start-run': { id: 'StartRun', description: 'Creates or resumes the run record', memorySizeMb: 256, timeoutSeconds: 60 },
  plan: { id: 'Plan', description: 'Lists the source and writes the sorted manifest of batches', memorySizeMb: 1024, timeoutSeconds: 900 },
  worker: { id: 'Worker', description: 'Claims, snapshots and writes batches', memorySizeMb: 1024, timeoutSeconds: 900 },
  finalize: { id: 'Finalize', description: 'Reconciles counts, writes the run report, marks the run SUCCEEDED', memorySizeMb: 1024, timeoutSeconds: 900 },
  'mark-run-failed': { id: 'MarkRunFailed', description: 'Records why a run failed', memorySizeMb: 256, timeoutSeconds: 60 },
};

/** Every function name, in workflow order. */
export const BACKFILL_FUNCTION_NAMES = Object.keys(FUNCTIONS) as readonly BackfillFunctionName[];

/** The key under which a function's ARN is substituted into the ASL, e.g. `ValidateSpecFunctionArn`. */
export function functionArnSubstitutionKey(name: BackfillFunctionName): string {
  return `${FUNCTIONS[name].id}FunctionArn`;
}

export interface BackfillFunctionsProps {
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  readonly sources: SourceBuckets;
  readonly targets: TargetTables;
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
   * CloudWatch namespace of the Powertools metrics (env `POWERTOOLS_METRICS_NAMESPACE`).
   * @default 'BackfillOrchestrator'
   */
  readonly metricsNamespace?: string;
}

/**
 * The six Lambda functions of the backfill workflow, bundled with esbuild from `lambdas/<name>/handler.ts`
 * (arm64, active tracing, one log group each), each with its own role that allows only what
 * that handler does.
 */
export class BackfillFunctions extends Construct {
  readonly functions: Readonly<Record<BackfillFunctionName, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: BackfillFunctionsProps) {
    super(scope, id);
    const environment = {
      LEDGER_TABLE_NAME: props.ledger.table.tableName,
      ARTIFACTS_BUCKET_NAME: props.artifacts.bucket.bucketName,
      CODE_VERSION: props.codeVersion,
      POWERTOOLS_SERVICE_NAME: props.serviceName ?? 'backfill-orchestrator',
      POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'BackfillOrchestrator',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const roles = {} as Record<BackfillFunctionName, iam.Role>;
    const functions = {} as Record<BackfillFunctionName, lambda.IFunction>;
    for (const name of BACKFILL_FUNCTION_NAMES) {
      const settings = FUNCTIONS[name];
      const logGroup = new logs.LogGroup(this, `${settings.id}Logs`, { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS });
      const role = new iam.Role(this, `${settings.id}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs the backfill ${name} Lambda function`,
      });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
      functions[name] = new nodejs.NodejsFunction(this, settings.id, {
        entry: path.join(REPO_ROOT, 'lambdas', name, 'handler.ts'),
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
        environment,
        bundling: { minify: true, sourceMap: true, sourcesContent: false, externalModules: ['@aws-sdk/*'] },
      });
      roles[name] = role;
      acknowledgeStarResource(role, 'X-Ray PutTraceSegments/PutTelemetryRecords (added by Tracing.ACTIVE) support no resource-level permissions; AWS requires Resource "*".');
    }
    this.functions = functions;

    const { ledger, artifacts, sources, targets } = props;
    const SOURCE_OBJECTS = 'Source records are read from any key of the configured source buckets: the spec chooses the prefix at run time.';

    // validate-spec parses its input only: logs and traces, nothing else.

    // start-run creates or resumes the run record.
    ledger.grantItemReadWrite(functions['start-run']);

    // plan lists the source, writes the manifest, pins the plan hash on the run.
    sources.grantList(functions.plan);
    acknowledgeWildcardResources(roles.plan, sources.grantGet(functions.plan), SOURCE_OBJECTS);
    acknowledgeWildcardResources(roles.plan, artifacts.grantPut(functions.plan, 'manifests'), 'Manifest keys include the runId, unknown until run time; limited to manifests/.');
    ledger.grantItemReadWrite(functions.plan);

    // worker reads its source lines, snapshots pre-images, quarantines bad records, writes targets.
    acknowledgeWildcardResources(roles.worker, sources.grantGet(functions.worker), SOURCE_OBJECTS);
    const workerAreas = {
      snapshots: 'Snapshot keys include runId, batchId and attempt, unknown until run time; a retried batch re-reads the recorded snapshot; limited to snapshots/.',
      quarantine: 'Quarantine keys include runId and batchId, unknown until run time; a retried batch re-reads what it quarantined; limited to quarantine/.',
    } as const;
    for (const [area, reason] of Object.entries(workerAreas) as [keyof typeof workerAreas, string][]) {
      acknowledgeWildcardResources(roles.worker, artifacts.grantPut(functions.worker, area), reason);
      acknowledgeWildcardResources(roles.worker, artifacts.grantGet(functions.worker, area), reason);
    }
    ledger.grantItemReadWrite(functions.worker);
    targets.grantBackfillWrite(functions.worker);

    // finalize queries every batch record of the run, writes the report, marks the run.
    ledger.grantQuery(functions.finalize);
    ledger.grantItemReadWrite(functions.finalize);
    acknowledgeWildcardResources(roles.finalize, artifacts.grantPut(functions.finalize, 'reports'), 'Report keys include the runId, unknown until run time; limited to reports/.');

    // mark-run-failed records the failure on the run record and in the audit trail.
    ledger.grantItemReadWrite(functions['mark-run-failed']);
  }

  /** Lets `grantee` invoke exactly these six functions (unqualified ARNs: no versions or aliases). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: BACKFILL_FUNCTION_NAMES.map((name) => this.functions[name].functionArn),
    });
  }
}
