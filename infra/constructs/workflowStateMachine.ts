import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ArtifactStore } from './ArtifactStore';
import { acknowledgeStarResource, acknowledgeWildcardResources } from './nagAcknowledgements';

/**
 * The hand-written role of a state machine deployed from an ASL file (CDK cannot derive it), with
 * what every such workflow here needs: invoking its functions, its distributed Map (reading the
 * manifest, exporting results, starting and watching its children) and logging and tracing.
 * Created as `Role` under `scope`; may be assumed by Step Functions on behalf of this account only.
 */
export function createWorkflowRole(
  scope: Construct,
  props: {
    readonly stateMachineName: string;
    readonly artifacts: ArtifactStore;
    readonly grantInvoke: (grantee: iam.IGrantable) => iam.Grant;
  },
): iam.Role {
  const stack = Stack.of(scope);
  const { stateMachineName, artifacts } = props;
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
    description: `Runs the ${stateMachineName} state machine`,
  });

  // Task states: the workflow's functions, by unqualified ARN (the ASL names no version or alias).
  props.grantInvoke(role);
  // The distributed Map's ItemReader reads a manifest the workflow wrote.
  acknowledgeWildcardResources(role, artifacts.grantGet(role, 'manifests'), ArtifactStore.wildcardReason('manifests'));
  // Its ResultWriter exports child results (multipart).
  acknowledgeWildcardResources(role, artifacts.grantMapResultWriter(role), ArtifactStore.wildcardReason('mapResults'));

  // A distributed Map starts its child workflows as executions of this same state machine,
  // and watches and stops them; redriving a run redrives its Map Run's children. The ARNs are
  // built from the name: referencing the state machine itself would be a circular dependency.
  const ownArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const executionArn = (resourceName: string) => stack.formatArn({ service: 'states', resource: 'execution', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['states:StartExecution'], resourceArns: [ownArn] });
  acknowledgeWildcardResources(
    role,
    iam.Grant.addToPrincipal({ grantee: role, actions: ['states:DescribeExecution', 'states:StopExecution'], resourceArns: [executionArn(`${stateMachineName}:*`)] }),
    'A distributed Map describes and stops the child executions it starts; their ids are generated at run time; limited to executions of this state machine.',
  );
  acknowledgeWildcardResources(
    role,
    iam.Grant.addToPrincipal({ grantee: role, actions: ['states:RedriveExecution'], resourceArns: [executionArn(`${stateMachineName}/*:*`)] }),
    'Redriving a failed execution redrives its Map Run, whose label and child ids are generated at run time; limited to Map Run executions of this state machine.',
  );

  // Logging and tracing: these actions support no resource-level permissions.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      resources: ['*'],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
      resources: ['*'],
    }),
  );
  acknowledgeStarResource(role, 'CloudWatch Logs vended-log delivery actions and X-Ray PutTraceSegments/PutTelemetryRecords/GetSampling* support no resource-level permissions; AWS documents Resource "*" for Step Functions logging and tracing.');
  return role;
}

/**
 * A STANDARD state machine from an ASL file with substitutions, logging ALL events with execution
 * data to its own vended-logs log group, and traced. Created as `Logs` and `StateMachine` under `scope`.
 */
export function createWorkflowStateMachine(
  scope: Construct,
  props: {
    readonly stateMachineName: string;
    readonly definitionFile: string;
    readonly substitutions: Readonly<Record<string, string>>;
    readonly role: iam.IRole;
    readonly logRetention?: logs.RetentionDays;
  },
): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small (AWS's advice for vended logs).
    logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
    retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    // A retained group with this fixed name would block re-creating the stack. The ledger, not
    // these logs, is the audit trail.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: props.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromFile(props.definitionFile),
    definitionSubstitutions: { ...props.substitutions },
    role: props.role,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    tracingEnabled: true,
  });
}

/**
 * Lets a state machine's `role` run another one as a Task (`states:startExecution.sync:2`):
 * start it, describe and stop its executions, and manage the EventBridge rule Step Functions
 * itself puts in this account to learn when a started execution ends.
 *
 * @example
 *   grantStartExecutionSync(backfillRole, rollbackWorkflow);
 */
export function grantStartExecutionSync(role: iam.Role, started: { readonly stateMachine: sfn.IStateMachine; readonly stateMachineName: string }): void {
  const stack = Stack.of(role);
  iam.Grant.addToPrincipal({ grantee: role, actions: ['states:StartExecution'], resourceArns: [started.stateMachine.stateMachineArn] });
  const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${started.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  acknowledgeWildcardResources(
    role,
    iam.Grant.addToPrincipal({ grantee: role, actions: ['states:DescribeExecution', 'states:StopExecution'], resourceArns: [executions] }),
    `A .sync Task watches, and on stop stops, the ${started.stateMachineName} execution it started; its name is generated at run time; limited to executions of that state machine.`,
  );
  // The rule's name is fixed by Step Functions (AWS documents it for every .sync integration).
  const managedRule = stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForStepFunctionsExecutionRule', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], resourceArns: [managedRule] });
}
