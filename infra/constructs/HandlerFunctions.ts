import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { HANDLER_IDS, HANDLERS, handlerIdOfFunctionUrl, handlerIdsOf, type ArtifactGrant, type EventRuleName, type FunctionUrlName, type HandlerGrant, type HandlerId, type WorkflowName } from '../../lambdas/handlers';
import type { ArtifactArea } from '../../lambdas/lib/artifacts';
import type { Approvals } from './Approvals';
import { ArtifactStore } from './ArtifactStore';
import { createHandlerFunction, type HandlerFunctionCommonProps } from './handlerFunction';
import { acknowledgeWildcardResources } from './nagAcknowledgements';
import type { Operations } from './Operations';
import type { SourceBuckets } from './SourceBuckets';
import type { TargetTables } from './TargetTables';

export interface HandlerFunctionsProps extends HandlerFunctionCommonProps {
  readonly sources: SourceBuckets;
  readonly targets: TargetTables;
  readonly approvals: Approvals;
  /** The operations topic (the breaker's notifications) and the control endpoint's home. */
  readonly operations: Operations;
  /** The backfill state machine's fixed name: the write-rate controller updates the Map Runs of its executions. */
  readonly backfillStateMachineName: string;
  /**
   * The backfill state machine's ARN, built from its fixed name: the approval functions answer its
   * task tokens. (Its reference would be circular: the state machine names these functions.)
   */
  readonly backfillStateMachineArn: string;
}

/** Applies one grant of the registry to a function (and acknowledges the wildcard it needs, on its role). */
export type ApplyGrant = (fn: lambda.Function, role: iam.Role, props: HandlerFunctionsProps) => void;

const MAP_RUNS = 'Execution names (the runId) and Map Run labels are chosen at run time; limited to the backfill state machine\'s executions and Map Runs.';

const SOURCE_OBJECTS = 'Source records are read from any key of the configured source buckets: the spec chooses the prefix at run time.';

/**
 * The approval functions' grants, each with the environment variable naming what it grants
 * (read by lambdas/lib/approval/ApprovalServices.ts).
 */
const APPROVAL_GRANTS = {
  'approvals:notify': (fn, _role, { approvals }) => {
    approvals.grantNotify(fn);
    fn.addEnvironment('APPROVAL_TOPIC_ARN', approvals.topic.topicArn);
  },
  'approvals:signing-key': (fn, _role, { approvals }) => {
    approvals.grantReadSigningKey(fn);
    fn.addEnvironment('APPROVAL_SIGNING_SECRET_ARN', approvals.signingKey.secretArn);
  },
  // Scoped to the backfill state machine, as CDK's grantTaskResponse does: Step Functions
  // authorizes these calls against the state machine of the token's execution.
  'states:send-task-result': (fn, _role, { backfillStateMachineArn }) => {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resourceArns: [backfillStateMachineArn] });
  },
} satisfies Record<string, ApplyGrant>;

/** The breaker's and the write-rate controller's grants (lambdas/lib/breaker, lambdas/lib/rate read the environment). */
const OPERATIONS_GRANTS = {
  'operations:notify': (fn, _role, { operations }) => {
    operations.grantNotify(fn);
    fn.addEnvironment('OPERATIONS_TOPIC_ARN', operations.topic.topicArn);
  },
  // ListMapRuns finds the RUNNING Map Run of the run's execution; UpdateMapRun sets its MaxConcurrency.
  'states:update-map-run': (fn, role, { backfillStateMachineName }) => {
    const arn = (resource: string, resourceName: string) => Stack.of(fn).formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const list = iam.Grant.addToPrincipal({ grantee: fn, actions: ['states:ListMapRuns'], resourceArns: [arn('execution', `${backfillStateMachineName}:*`)] });
    const update = iam.Grant.addToPrincipal({ grantee: fn, actions: ['states:UpdateMapRun'], resourceArns: [arn('mapRun', `${backfillStateMachineName}/*:*`)] });
    acknowledgeWildcardResources(role, list.combine(update), MAP_RUNS);
  },
} satisfies Record<string, ApplyGrant>;

const RESOURCE_GRANTS: Readonly<Record<Exclude<HandlerGrant, ArtifactGrant>, ApplyGrant>> = {
  'ledger:items': (fn, _role, { ledger }) => ledger.grantItemReadWrite(fn),
  'ledger:query': (fn, _role, { ledger }) => ledger.grantQuery(fn),
  'sources:list': (fn, _role, { sources }) => sources.grantList(fn),
  'sources:read': (fn, role, { sources }) => acknowledgeWildcardResources(role, sources.grantGet(fn), SOURCE_OBJECTS),
  'targets:backfill-write': (fn, _role, { targets }) => targets.grantBackfillWrite(fn),
  'targets:rollback-restore': (fn, _role, { targets }) => targets.grantRollbackRestore(fn),
  ...APPROVAL_GRANTS,
  ...OPERATIONS_GRANTS,
};

const isArtifactGrant = (grant: HandlerGrant): grant is ArtifactGrant => grant.startsWith('artifacts:');

/**
 * What one grant name of the registry does to a function's role (and environment). HandlerFunctions
 * applies each row's grants; tests apply a grant no row uses yet to a function of their own.
 *
 * @example
 *   applyGrant('operations:notify')(fn, role, props); // sns:Publish on the operations topic, env OPERATIONS_TOPIC_ARN
 */
export const applyGrant = (grant: HandlerGrant): ApplyGrant => {
  if (!isArtifactGrant(grant)) return RESOURCE_GRANTS[grant];
  const [, area, access] = grant.split(':') as [string, ArtifactArea, 'read' | 'write'];
  return (fn, role, { artifacts }) =>
    acknowledgeWildcardResources(role, access === 'read' ? artifacts.grantGet(fn, area) : artifacts.grantPut(fn, area), ArtifactStore.wildcardReason(area));
};

/**
 * Every Lambda function of the stack, one per row of the handler registry (lambdas/handlers.ts):
 * bundled with esbuild from its entry (arm64, active tracing, one log group each), each with its
 * own role that allows only the grants its row lists, and the environment naming what they grant.
 * A `functionUrl` row is served at its Function URL (the approval page, through `approvals`).
 */
export class HandlerFunctions extends Construct {
  readonly functions: Readonly<Record<HandlerId, lambda.IFunction>>;
  /**
   * The Function URL of each `functionUrl` row, by name (`approvals`: the approval page;
   * `approvals-iam`: the decision endpoint of `backfill approve`; `controls-iam`: the operator
   * controls, once the registry has its row).
   */
  readonly functionUrls: Readonly<Record<FunctionUrlName, lambda.FunctionUrl>>;

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    const functions = {} as Record<HandlerId, lambda.Function>;
    for (const handlerId of HANDLER_IDS) {
      const { fn, role } = createHandlerFunction(this, handlerId, HANDLERS[handlerId], props);
      for (const grant of HANDLERS[handlerId].grants) applyGrant(grant)(fn, role, props);
      functions[handlerId] = fn;
    }
    this.functions = functions;
    const page = props.approvals.addPage(functions[handlerIdOfFunctionUrl('approvals')]);
    const decide = props.approvals.addDecisionEndpoint(functions[handlerIdOfFunctionUrl('approvals-iam')]);
    // The operator controls (backfill pause / resume / abort / breaker): AWS verifies the caller's SigV4 signature.
    const controls = props.operations.addControlEndpoint(functions[handlerIdOfFunctionUrl('controls-iam')]);
    this.functionUrls = { approvals: page, 'approvals-iam': decide, 'controls-iam': controls };
    // Who sends approval links needs the page they point at. The page itself gets no URL of its
    // own: its URL depends on the function, so the function's environment cannot name it.
    for (const handlerId of HANDLER_IDS) {
      if (HANDLERS[handlerId].grants.includes('approvals:notify')) functions[handlerId].addEnvironment('APPROVAL_PAGE_URL', page.url);
    }
  }

  /**
   * The function an EventBridge rule invokes, or undefined while the registry has no row for it.
   *
   * @example
   *   functions.functionOfEventRule('breaker-alarm'); // the breaker handler's function
   */
  functionOfEventRule(rule: EventRuleName): lambda.IFunction | undefined {
    const handlerId = HANDLER_IDS.find((id) => HANDLERS[id].eventRule === rule);
    return handlerId === undefined ? undefined : this.functions[handlerId];
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
