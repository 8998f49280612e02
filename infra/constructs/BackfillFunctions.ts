import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createHandlerFunction, type HandlerFunctionCommonProps, type HandlerFunctionSettings } from './handlerFunction';
import { acknowledgeWildcardResources } from './nagAcknowledgements';
import type { SourceBuckets } from './SourceBuckets';
import type { TargetTables } from './TargetTables';

/** The Lambda handlers of the backfill workflow: each is `lambdas/<name>/handler.ts`, export `handler`. */
export type BackfillFunctionName = 'validate-spec' | 'start-run' | 'plan' | 'worker' | 'finalize' | 'mark-run-failed';

const FUNCTIONS: Readonly<Record<BackfillFunctionName, HandlerFunctionSettings>> = {
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

export interface BackfillFunctionsProps extends HandlerFunctionCommonProps {
  readonly sources: SourceBuckets;
  readonly targets: TargetTables;
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
    const roles = {} as Record<BackfillFunctionName, iam.Role>;
    const functions = {} as Record<BackfillFunctionName, lambda.IFunction>;
    for (const name of BACKFILL_FUNCTION_NAMES) {
      const created = createHandlerFunction(this, name, FUNCTIONS[name], props);
      functions[name] = created.fn;
      roles[name] = created.role;
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

    // mark-run-failed queries the run's batch records to name the failed ones, and records the failure.
    ledger.grantQuery(functions['mark-run-failed']);
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
