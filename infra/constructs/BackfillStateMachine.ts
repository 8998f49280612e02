import * as path from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATE_MACHINES_DIR } from '../paths';
import type { ArtifactStore } from './ArtifactStore';
import { BACKFILL_FUNCTION_NAMES, functionArnSubstitutionKey, type BackfillFunctions } from './BackfillFunctions';
import { acknowledgeStarResource, acknowledgeWildcardResources } from './nagAcknowledgements';

export interface BackfillStateMachineProps {
  readonly functions: BackfillFunctions;
  readonly artifacts: ArtifactStore;
  /**
   * The state machine's name. It is fixed (not generated) because the role's distributed-Map
   * permissions name the state machine's own ARN, which must not depend on the state machine.
   * @default `${stackName}-backfill`
   */
  readonly stateMachineName?: string;
  /**
   * How long the execution log group keeps logs.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The backfill workflow: a STANDARD state machine deployed from `statemachines/backfill.asl.json`
 * (the same file the local runtime runs) with the function ARNs and the artifacts bucket
 * substituted in. Logs ALL events with execution data, traces with X-Ray. The definition is a
 * file, so CDK cannot derive the role's permissions: they are written here by hand, and a test
 * proves they cover every resource the ASL names and nothing more.
 */
export class BackfillStateMachine extends Construct {
  /** The ASL file this state machine deploys. */
  readonly definitionFile: string = path.join(STATE_MACHINES_DIR, 'backfill.asl.json');
  /** The values substituted for `${...}` in the ASL. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;
  readonly role: iam.IRole;
  readonly stateMachine: sfn.IStateMachine;

  constructor(scope: Construct, id: string, props: BackfillStateMachineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = props.stateMachineName ?? `${stack.stackName}-backfill`;
    const { functions, artifacts } = props;

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }),
      description: `Runs the ${stateMachineName} state machine`,
    });
    this.role = role;

    // Task states: the six functions, by unqualified ARN (the ASL names no version or alias).
    functions.grantInvoke(role);
    // ProcessBatches.ItemReader reads the manifest that Plan wrote.
    acknowledgeWildcardResources(role, artifacts.grantGet(role, 'manifests'), 'The ItemReader reads the run\'s manifest, whose key includes the runId (unknown until run time); limited to manifests/.');
    // ProcessBatches.ResultWriter exports child results (multipart).
    acknowledgeWildcardResources(role, artifacts.grantMapResultWriter(role), 'The ResultWriter writes under map-results/<map run id>/, unknown until run time; limited to map-results/.');

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
      'Redriving a failed run redrives its Map Run, whose label and child ids are generated at run time; limited to Map Run executions of this state machine.',
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

    const substitutions: Record<string, string> = { ArtifactsBucket: artifacts.bucket.bucketName };
    for (const name of BACKFILL_FUNCTION_NAMES) substitutions[functionArnSubstitutionKey(name)] = functions.functions[name].functionArn;
    this.definitionSubstitutions = substitutions;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small (AWS's advice for vended logs).
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      // A retained group with this fixed name would block re-creating the stack. The ledger, not
      // these logs, is the audit trail.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(this.definitionFile),
      definitionSubstitutions: substitutions,
      role,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
  }

  /** Lets `grantee` start runs (executions). */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}
