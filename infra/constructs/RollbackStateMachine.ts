import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STATE_MACHINES_DIR } from '../paths';
import type { ArtifactStore } from './ArtifactStore';
import { ROLLBACK_FUNCTION_NAMES, rollbackFunctionArnSubstitutionKey, type RollbackFunctions } from './RollbackFunctions';
import { createWorkflowRole, createWorkflowStateMachine } from './workflowStateMachine';

export interface RollbackStateMachineProps {
  readonly functions: RollbackFunctions;
  readonly artifacts: ArtifactStore;
  /**
   * The state machine's name, fixed for the same reason as the backfill's (its role names its own ARN).
   * @default `${stackName}-rollback`
   */
  readonly stateMachineName?: string;
  /**
   * How long the execution log group keeps logs.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The rollback workflow: a STANDARD state machine deployed from `statemachines/rollback.asl.json`
 * (the same file `npm start -- --rollback` runs). Start it from the console with
 * `{ "runId": "..." }` (add `"mode": "rehearse"` to check without writing, `"force": true` for a run
 * still marked RUNNING). Its hand-written role allows exactly what the ASL calls; a test proves it.
 */
export class RollbackStateMachine extends Construct {
  /** The ASL file this state machine deploys. */
  readonly definitionFile: string = path.join(STATE_MACHINES_DIR, 'rollback.asl.json');
  /** The values substituted for `${...}` in the ASL. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;
  /** The functions its Task states invoke. */
  readonly invokedFunctions: readonly lambda.IFunction[];
  readonly role: iam.IRole;
  readonly stateMachine: sfn.IStateMachine;

  constructor(scope: Construct, id: string, props: RollbackStateMachineProps) {
    super(scope, id);
    const stateMachineName = props.stateMachineName ?? `${Stack.of(this).stackName}-rollback`;
    const { functions, artifacts } = props;

    this.role = createWorkflowRole(this, {
      stateMachineName,
      artifacts,
      grantInvoke: (grantee) => functions.grantInvoke(grantee),
      manifestReason: 'The ItemReader reads the rollback manifest, whose key includes the runId and its hash (unknown until run time); limited to manifests/.',
    });

    const substitutions: Record<string, string> = { ArtifactsBucket: artifacts.bucket.bucketName };
    for (const name of ROLLBACK_FUNCTION_NAMES) substitutions[rollbackFunctionArnSubstitutionKey(name)] = functions.functions[name].functionArn;
    this.definitionSubstitutions = substitutions;
    this.invokedFunctions = ROLLBACK_FUNCTION_NAMES.map((name) => functions.functions[name]);
    this.stateMachine = createWorkflowStateMachine(this, { stateMachineName, definitionFile: this.definitionFile, substitutions, role: this.role, logRetention: props.logRetention });
  }

  /** Lets `grantee` start rollbacks and rehearsals (executions). */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}
