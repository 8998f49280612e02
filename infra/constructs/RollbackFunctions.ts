import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createHandlerFunction, type HandlerFunctionCommonProps, type HandlerFunctionSettings } from './handlerFunction';
import { acknowledgeWildcardResources } from './nagAcknowledgements';
import type { TargetTables } from './TargetTables';

/** The Lambda handlers of the rollback workflow: each is `lambdas/<name>/handler.ts`, export `handler`. */
export type RollbackFunctionName = 'rollback-load' | 'rollback-worker' | 'rollback-finish' | 'rollback-mark-failed';

const FUNCTIONS: Readonly<Record<RollbackFunctionName, HandlerFunctionSettings>> = {
  'rollback-load': { id: 'RollbackLoad', description: 'Checks the run, starts its rollback and writes the rollback manifest', memorySizeMb: 512, timeoutSeconds: 900 },
  'rollback-worker': { id: 'RollbackWorker', description: 'Restores (or rehearses) batches from their snapshots', memorySizeMb: 1024, timeoutSeconds: 900 },
  'rollback-finish': { id: 'RollbackFinish', description: 'Verifies the rollback, lists conflicts, writes the report, marks the run', memorySizeMb: 1024, timeoutSeconds: 900 },
  'rollback-mark-failed': { id: 'RollbackMarkFailed', description: 'Records why a rollback failed', memorySizeMb: 256, timeoutSeconds: 60 },
};

/** Every rollback function name, in workflow order. */
export const ROLLBACK_FUNCTION_NAMES = Object.keys(FUNCTIONS) as readonly RollbackFunctionName[];

/** The key under which a rollback function's ARN is substituted into the ASL, e.g. `RollbackLoadFunctionArn`. */
export function rollbackFunctionArnSubstitutionKey(name: RollbackFunctionName): string {
  return `${FUNCTIONS[name].id}FunctionArn`;
}

export interface RollbackFunctionsProps extends HandlerFunctionCommonProps {
  readonly targets: TargetTables;
}

/**
 * The four Lambda functions of the rollback workflow, each with its own role that allows only
 * what that handler does. Only the worker writes target tables, and only it may delete items
 * (items the rolled-back run created).
 */
export class RollbackFunctions extends Construct {
  readonly functions: Readonly<Record<RollbackFunctionName, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: RollbackFunctionsProps) {
    super(scope, id);
    const roles = {} as Record<RollbackFunctionName, iam.Role>;
    const functions = {} as Record<RollbackFunctionName, lambda.IFunction>;
    for (const name of ROLLBACK_FUNCTION_NAMES) {
      const created = createHandlerFunction(this, name, FUNCTIONS[name], props);
      functions[name] = created.fn;
      roles[name] = created.role;
    }
    this.functions = functions;
    const { ledger, artifacts, targets } = props;

    // rollback-load reads the run and its batch records, moves the run to ROLLING_BACK, audits, writes the rollback manifest.
    ledger.grantItemReadWrite(functions['rollback-load']);
    ledger.grantQuery(functions['rollback-load']);
    acknowledgeWildcardResources(roles['rollback-load'], artifacts.grantPut(functions['rollback-load'], 'manifests'), 'Rollback manifest keys include the runId and the manifest hash, unknown until run time; limited to manifests/.');

    // rollback-worker claims and completes rollback records, reads snapshots, restores target items, lists conflicts.
    ledger.grantItemReadWrite(functions['rollback-worker']);
    acknowledgeWildcardResources(roles['rollback-worker'], artifacts.grantGet(functions['rollback-worker'], 'snapshots'), 'Snapshot keys include runId, batchId and attempt, unknown until run time; the worker reads the ones the ledger recorded; limited to snapshots/.');
    acknowledgeWildcardResources(roles['rollback-worker'], artifacts.grantPut(functions['rollback-worker'], 'rollbacks'), 'Conflict list keys include runId, batchId and attempt, unknown until run time; limited to rollbacks/.');
    targets.grantRollbackRestore(functions['rollback-worker']);

    // rollback-finish lists rollback records, reads conflict lists and rehearsal results, writes the full conflict list and the report, marks the run.
    ledger.grantItemReadWrite(functions['rollback-finish']);
    ledger.grantQuery(functions['rollback-finish']);
    acknowledgeWildcardResources(roles['rollback-finish'], artifacts.grantGet(functions['rollback-finish'], 'manifests'), 'It re-reads the rollback manifest, whose key includes the runId and its hash; limited to manifests/.');
    acknowledgeWildcardResources(roles['rollback-finish'], artifacts.grantGet(functions['rollback-finish'], 'rollbacks'), 'It reads each batch\'s conflict list, whose key includes runId, batchId and attempt; limited to rollbacks/.');
    acknowledgeWildcardResources(roles['rollback-finish'], artifacts.grantPut(functions['rollback-finish'], 'rollbacks'), 'It writes the run\'s full conflict list, whose key includes the runId; limited to rollbacks/.');
    acknowledgeWildcardResources(roles['rollback-finish'], artifacts.grantGet(functions['rollback-finish'], 'mapResults'), 'A rehearsal sums the workers\' results the ResultWriter exported under map-results/<map run id>/; limited to map-results/.');
    acknowledgeWildcardResources(roles['rollback-finish'], artifacts.grantPut(functions['rollback-finish'], 'reports'), 'Rollback and rehearsal report keys include the runId, unknown until run time; limited to reports/.');

    // rollback-mark-failed records the error on the run record and in the audit trail.
    ledger.grantItemReadWrite(functions['rollback-mark-failed']);
  }

  /** Lets `grantee` invoke exactly these four functions (unqualified ARNs: no versions or aliases). */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: ROLLBACK_FUNCTION_NAMES.map((name) => this.functions[name].functionArn),
    });
  }
}
