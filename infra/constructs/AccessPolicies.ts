import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ArtifactStore } from './ArtifactStore';
import type { Ledger } from './Ledger';
import { acknowledgeWildcardStatement } from './nagAcknowledgements';
import type { TargetTables } from './TargetTables';
import type { Workflow } from './Workflow';

/** The people who work with runs, each with one managed policy. */
export type Persona = 'operator' | 'viewer' | 'approver';

/** How access is handed out: managed policies to attach to your own roles or groups, or also one role per persona. */
export type AccessControl = 'policies' | 'roles';

export interface AccessPoliciesProps {
  readonly backfill: Workflow;
  readonly rollback: Workflow;
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  readonly targets: TargetTables;
  /** The IAM-authenticated decision endpoint `backfill approve|reject` calls (the approver may invoke it, through its URL only). */
  readonly approvalDecisions: lambda.FunctionUrl;
  /**
   * The IAM-authenticated control endpoint `backfill pause|resume|abort|breaker` calls (the operator may invoke it, through its URL only).
   * @default - none: the registry has no `controls-iam` row
   */
  readonly operatorControls?: lambda.FunctionUrl;
  /**
   * `roles` also creates one role per persona, with its policy attached, that principals of this
   * account may assume when their own IAM policy lets them (sts:AssumeRole on it).
   * @default 'policies' - only the managed policies; attach them to your own roles, groups or SSO permission sets
   */
  readonly accessControl?: AccessControl;
}

const EXECUTION_IDS = 'Execution names are chosen when a run starts (the runId) or generated; limited to executions of this stack\'s state machines.';
const MAP_RUN_IDS = 'Map Run labels and ids are generated at run time; limited to Map Runs of this stack\'s state machines.';

/**
 * Least-privilege managed policies for the people who run backfills, by persona:
 * - **viewer**: read only. Describe, list and read the history of both workflows' executions and
 *   Map Runs, read the ledger (run records, batches, audit trail) and run reports, and find the
 *   stack's outputs (what the `backfill` CLI reads with `--stack`).
 * - **operator**: the viewer's access, plus start and stop runs and rollbacks (StartExecution and
 *   StopExecution on both state machines; resume is a new execution) and read what `backfill
 *   lineage` shows: a target item (and its table's key schema), its pre-image in the snapshots, and rollback conflict lists.
 *   Also pause, resume and abort runs and open or close the breaker through the control endpoint
 *   (lambda:InvokeFunctionUrl, AWS_IAM, as the approver's decisions), which audits the caller's ARN.
 *   No redrive (a run resumes, it is not redriven), no writes to the ledger or the targets.
 * - **approver**: what approving by CLI needs: calls the decision endpoint (lambda:InvokeFunctionUrl
 *   with FunctionUrlAuthType AWS_IAM, and lambda:InvokeFunction only via the URL), which decides as
 *   the caller's ARN; reads the ledger's records (GetItem, Query: no Scan), the stages' evidence
 *   (`evidence/`) and the stack's outputs. No SendTaskSuccess / SendTaskFailure of its own: a
 *   decision goes through the ledger (approvers, quorum, self-approval), never around it.
 */
export class AccessPolicies extends Construct {
  readonly policies: Readonly<Record<Persona, iam.ManagedPolicy>>;
  /** One role per persona, when `accessControl` is `roles`. */
  readonly roles?: Readonly<Record<Persona, iam.Role>>;

  constructor(scope: Construct, id: string, props: AccessPoliciesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const machines = [props.backfill, props.rollback];
    const machineArns = machines.map((m) => m.stateMachine.stateMachineArn);
    const statesArn = (resource: string, suffix: string) =>
      machines.map((m) => stack.formatArn({ service: 'states', resource, resourceName: `${m.stateMachineName}${suffix}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
    const executionArns = statesArn('execution', ':*');

    const statement = (actions: string[], resources: string[]) => new iam.PolicyStatement({ actions, resources });
    const readLedger = statement(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], [props.ledger.table.tableArn]);
    const describeStack = statement(['cloudformation:DescribeStacks'], [stack.stackId]);
    const viewer: Statement[] = [
      [statement(['states:DescribeStateMachine', 'states:ListExecutions'], machineArns)],
      [statement(['states:DescribeExecution', 'states:GetExecutionHistory', 'states:ListMapRuns'], executionArns), EXECUTION_IDS],
      [statement(['states:DescribeMapRun'], statesArn('mapRun', '/*')), MAP_RUN_IDS],
      [readLedger],
      [statement(['s3:GetObject'], [props.artifacts.arnForArea('reports')]), ArtifactStore.wildcardReason('reports')],
      [describeStack],
    ];
    const operator: Statement[] = [
      ...viewer,
      [statement(['states:StartExecution'], machineArns)],
      [statement(['states:StopExecution'], executionArns), EXECUTION_IDS],
      // `backfill lineage` reads the table's key schema, then the item.
      [statement(['dynamodb:DescribeTable', 'dynamodb:GetItem'], props.targets.tables.map((t) => t.tableArn))],
      [statement(['s3:GetObject'], [props.artifacts.arnForArea('snapshots')]), ArtifactStore.wildcardReason('snapshots')],
      [statement(['s3:GetObject'], [props.artifacts.arnForArea('rollbacks')]), ArtifactStore.wildcardReason('rollbacks')],
      ...(props.operatorControls === undefined ? [] : invokeThroughUrl(props.operatorControls)),
    ];
    // `backfill approvals RUN` and `approve|reject RUN`: the run's approval records (GetItem, Query
    // within the run's partition, no Scan) and what the approver decides on, then the decision endpoint.
    const approver: Statement[] = [
      ...invokeThroughUrl(props.approvalDecisions),
      [statement(['dynamodb:GetItem', 'dynamodb:Query'], [props.ledger.table.tableArn])],
      [statement(['s3:GetObject'], [props.artifacts.arnForArea('evidence')]), ArtifactStore.wildcardReason('evidence')],
      [describeStack],
    ];

    this.policies = {
      operator: this.policy('OperatorPolicy', 'Operate backfill runs: start, stop, resume and roll back; read their state, reports and lineage', operator),
      viewer: this.policy('ViewerPolicy', 'View backfill runs: their executions, ledger records and reports (read only)', viewer),
      approver: this.policy('ApproverPolicy', 'Approve or reject backfill approval steps; read the ledger', approver),
    };
    if (props.accessControl === 'roles') {
      const role = (id: string, persona: Persona) =>
        new iam.Role(this, id, { assumedBy: new iam.AccountRootPrincipal(), managedPolicies: [this.policies[persona]], description: `Backfill ${persona}: ${this.policies[persona].description}` });
      this.roles = { operator: role('OperatorRole', 'operator'), viewer: role('ViewerRole', 'viewer'), approver: role('ApproverRole', 'approver') };
    }
  }

  private policy(id: string, description: string, statements: readonly Statement[]): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, id, { description });
    for (const [policyStatement, wildcardReason] of statements) {
      policy.addStatements(policyStatement);
      if (wildcardReason !== undefined) acknowledgeWildcardStatement(policy, policyStatement, wildcardReason);
    }
    return policy;
  }
}

/** A statement of a policy and, when its resources hold a wildcard, why (for cdk-nag). */
type Statement = readonly [iam.PolicyStatement, string?];

/** Calling an IAM-authenticated Function URL: lambda:InvokeFunctionUrl (AWS_IAM only) and lambda:InvokeFunction only through the URL. */
function invokeThroughUrl(url: lambda.FunctionUrl): Statement[] {
  return [
    [new iam.PolicyStatement({ actions: ['lambda:InvokeFunctionUrl'], resources: [url.functionArn], conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } })],
    // Function URLs created since October 2025 also need lambda:InvokeFunction; only through the URL.
    [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [url.functionArn], conditions: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } })],
  ];
}
