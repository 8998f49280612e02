import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATE_MACHINES_DIR } from '../paths';
import type { ArtifactStore } from './ArtifactStore';
import { BACKFILL_FUNCTION_NAMES, functionArnSubstitutionKey, type BackfillFunctions } from './BackfillFunctions';
import { createWorkflowRole, createWorkflowStateMachine } from './workflowStateMachine';

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
  /** The functions its Task states invoke. */
  readonly invokedFunctions: readonly lambda.IFunction[];
  readonly role: iam.IRole;
  readonly stateMachine: sfn.IStateMachine;

  constructor(scope: Construct, id: string, props: BackfillStateMachineProps) {
    super(scope, id);
    const stateMachineName = props.stateMachineName ?? `${Stack.of(this).stackName}-backfill`;
    const { functions, artifacts } = props;

    this.role = createWorkflowRole(this, {
      stateMachineName,
      artifacts,
      grantInvoke: (grantee) => functions.grantInvoke(grantee),
      manifestReason: 'The ItemReader reads the run\'s manifest, whose key includes the runId (unknown until run time); limited to manifests/.',
    });

    const substitutions: Record<string, string> = { ArtifactsBucket: artifacts.bucket.bucketName };
    for (const name of BACKFILL_FUNCTION_NAMES) substitutions[functionArnSubstitutionKey(name)] = functions.functions[name].functionArn;
    this.definitionSubstitutions = substitutions;
    this.invokedFunctions = BACKFILL_FUNCTION_NAMES.map((name) => functions.functions[name]);
    this.stateMachine = createWorkflowStateMachine(this, { stateMachineName, definitionFile: this.definitionFile, substitutions, role: this.role, logRetention: props.logRetention });
  }

  /** Lets `grantee` start runs (executions). */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}
