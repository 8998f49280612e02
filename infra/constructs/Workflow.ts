import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { WORKFLOWS, type WorkflowName } from '../../lambdas/handlers';
import { REPO_ROOT } from '../paths';
import type { ArtifactStore } from './ArtifactStore';
import type { HandlerFunctions } from './HandlerFunctions';
import { createWorkflowRole, createWorkflowStateMachine, grantStartExecutionSync } from './workflowStateMachine';

export interface WorkflowProps {
  /** Which workflow: its ASL file and functions come from the handler registry (lambdas/handlers.ts). */
  readonly workflow: WorkflowName;
  readonly functions: HandlerFunctions;
  readonly artifacts: ArtifactStore;
  /**
   * Workflows this one may start and wait for (`arn:aws:states:::states:startExecution.sync:2`),
   * e.g. the backfill starts the rollback when an approver rejects the canary. One whose
   * placeholder (`arnPlaceholder`, e.g. `${RollbackStateMachineArn}`) the ASL names gets its ARN
   * substituted and the role the rights to start, watch and stop it; one the ASL does not name, nothing.
   * @default - none
   */
  readonly startableWorkflows?: readonly Workflow[];
  /**
   * The state machine's name. It is fixed (not generated) because the role's distributed-Map
   * permissions name the state machine's own ARN, which must not depend on the state machine.
   * @default `${stackName}-${workflow}`
   */
  readonly stateMachineName?: string;
  /**
   * How long the execution log group keeps logs.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One workflow (backfill or rollback): a STANDARD state machine deployed from its ASL file (the
 * same file the local runtime runs) with its functions' ARNs and the artifacts bucket substituted
 * in. Logs ALL events with execution data, traces with X-Ray. The definition is a file, so CDK
 * cannot derive the role's permissions: they are written by hand, and a test proves they cover
 * every resource the ASL names and nothing more.
 */
export class Workflow extends Construct {
  /** Which workflow of the registry this is. */
  readonly workflow: WorkflowName;
  /** The ASL file this state machine deploys. */
  readonly definitionFile: string;
  /** The values substituted for `${...}` in the ASL. */
  readonly definitionSubstitutions: Readonly<Record<string, string>>;
  /** The functions its Task states invoke. */
  readonly invokedFunctions: readonly lambda.IFunction[];
  readonly role: iam.IRole;
  readonly stateMachine: sfn.IStateMachine;
  /** The state machine's name (fixed at synth): execution and Map Run ARNs are built from it. */
  readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { workflow, functions, artifacts } = props;
    const stateMachineName = props.stateMachineName ?? `${Stack.of(this).stackName}-${workflow}`;
    this.workflow = workflow;
    this.stateMachineName = stateMachineName;
    this.definitionFile = path.join(REPO_ROOT, WORKFLOWS[workflow].definitionFile);
    const role = createWorkflowRole(this, { stateMachineName, artifacts, grantInvoke: (grantee) => functions.grantInvoke(grantee, workflow) });
    this.role = role;
    // Only the workflows the definition names: the role test holds every permission to a need of the ASL.
    const definition = fs.readFileSync(this.definitionFile, 'utf8');
    const started = (props.startableWorkflows ?? []).filter((other) => definition.includes(`\${${other.arnPlaceholder}}`));
    for (const other of started) grantStartExecutionSync(role, other);
    this.definitionSubstitutions = {
      ArtifactsBucket: artifacts.bucket.bucketName,
      ...functions.arnSubstitutions(workflow),
      ...Object.fromEntries(started.map((other) => [other.arnPlaceholder, other.stateMachine.stateMachineArn])),
    };
    this.invokedFunctions = functions.functionsOf(workflow);
    this.stateMachine = createWorkflowStateMachine(this, {
      stateMachineName,
      definitionFile: this.definitionFile,
      substitutions: this.definitionSubstitutions,
      role: this.role,
      logRetention: props.logRetention,
    });
  }

  /** The ASL placeholder another workflow's definition names this state machine's ARN by, e.g. `RollbackStateMachineArn`. */
  get arnPlaceholder(): string {
    return `${this.workflow.charAt(0).toUpperCase()}${this.workflow.slice(1)}StateMachineArn`;
  }

  /** Lets `grantee` start executions (runs, rollbacks, rehearsals). */
  grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}
