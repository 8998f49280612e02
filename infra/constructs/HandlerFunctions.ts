import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HANDLER_IDS, HANDLERS, handlerIdsOf, type ArtifactGrant, type HandlerGrant, type HandlerId, type WorkflowName } from '../../lambdas/handlers';
import type { ArtifactArea } from '../../lambdas/lib/artifacts';
import { ArtifactStore } from './ArtifactStore';
import { createHandlerFunction, type HandlerFunctionCommonProps } from './handlerFunction';
import { acknowledgeWildcardResources } from './nagAcknowledgements';
import type { SourceBuckets } from './SourceBuckets';
import type { TargetTables } from './TargetTables';

export interface HandlerFunctionsProps extends HandlerFunctionCommonProps {
  readonly sources: SourceBuckets;
  readonly targets: TargetTables;
}

/** Applies one grant of the registry to a function (and acknowledges the wildcard it needs, on its role). */
type ApplyGrant = (fn: lambda.IFunction, role: iam.Role, props: HandlerFunctionsProps) => void;

const SOURCE_OBJECTS = 'Source records are read from any key of the configured source buckets: the spec chooses the prefix at run time.';

const RESOURCE_GRANTS: Readonly<Record<Exclude<HandlerGrant, ArtifactGrant>, ApplyGrant>> = {
  'ledger:items': (fn, _role, { ledger }) => ledger.grantItemReadWrite(fn),
  'ledger:query': (fn, _role, { ledger }) => ledger.grantQuery(fn),
  'sources:list': (fn, _role, { sources }) => sources.grantList(fn),
  'sources:read': (fn, role, { sources }) => acknowledgeWildcardResources(role, sources.grantGet(fn), SOURCE_OBJECTS),
  'targets:backfill-write': (fn, _role, { targets }) => targets.grantBackfillWrite(fn),
  'targets:rollback-restore': (fn, _role, { targets }) => targets.grantRollbackRestore(fn),
  // The approval grants need the approval topic, secret and state machines, which the stack's
  // approval resources own; they are granted there (issue 11), not yet here.
  'approvals:notify': () => {},
  'approvals:signing-key': () => {},
  'states:send-task-result': () => {},
};

const isArtifactGrant = (grant: HandlerGrant): grant is ArtifactGrant => grant.startsWith('artifacts:');

const applyGrant = (grant: HandlerGrant): ApplyGrant => {
  if (!isArtifactGrant(grant)) return RESOURCE_GRANTS[grant];
  const [, area, access] = grant.split(':') as [string, ArtifactArea, 'read' | 'write'];
  return (fn, role, { artifacts }) =>
    acknowledgeWildcardResources(role, access === 'read' ? artifacts.grantGet(fn, area) : artifacts.grantPut(fn, area), ArtifactStore.wildcardReason(area));
};

/**
 * Every Lambda function of the stack, one per row of the handler registry (lambdas/handlers.ts):
 * bundled with esbuild from its entry (arm64, active tracing, one log group each), each with its
 * own role that allows only the grants its row lists.
 */
export class HandlerFunctions extends Construct {
  readonly functions: Readonly<Record<HandlerId, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    const functions = {} as Record<HandlerId, lambda.IFunction>;
    for (const handlerId of HANDLER_IDS) {
      const { fn, role } = createHandlerFunction(this, handlerId, HANDLERS[handlerId], props);
      for (const grant of HANDLERS[handlerId].grants) applyGrant(grant)(fn, role, props);
      functions[handlerId] = fn;
    }
    this.functions = functions;
  }

  /** The functions one workflow's Task states invoke, in workflow order. */
  functionsOf(workflow: WorkflowName): lambda.IFunction[] {
    return handlerIdsOf(workflow).map((handlerId) => this.functions[handlerId]);
  }

  /** The ASL substitutions of one workflow's function ARNs, e.g. `{ WorkerFunctionArn: <arn>, ... }`. */
  arnSubstitutions(workflow: WorkflowName): Record<string, string> {
    return Object.fromEntries(handlerIdsOf(workflow).map((handlerId) => [HANDLERS[handlerId].aslPlaceholder, this.functions[handlerId].functionArn]));
  }

  /** Lets `grantee` invoke exactly one workflow's functions (unqualified ARNs: no versions or aliases). */
  grantInvoke(grantee: iam.IGrantable, workflow: WorkflowName): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: this.functionsOf(workflow).map((fn) => fn.functionArn),
    });
  }
}
