import { ArnFormat, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { handlerIdOfEventRule } from '../lambdas/handlers';
import { DEFAULT_METRICS_NAMESPACE, resolveBreakerThresholds, type BreakerThresholdOverrides } from '../lambdas/lib/health';
import { packageVersion } from './config';
import {
  AccessLogsBucket,
  AccessPolicies,
  Approvals,
  ArtifactStore,
  BackfillDashboard,
  BackfillSchedules,
  Breaker,
  ExecutionStatusRule,
  HandlerFunctions,
  Ledger,
  Operations,
  SourceBuckets,
  TargetTables,
  Workflow,
  type AccessControl,
  type Approver,
  type Operator,
} from './constructs';
import { LOCAL_NAMES } from './definitions';
import { checkScheduleTargets, type ScheduleDefinition } from './schedules';

export interface BackfillStackProps extends StackProps {
  /** Existing DynamoDB tables, by name, that runs may write to. */
  readonly targetTableNames: readonly string[];
  /**
   * Existing S3 buckets, by name, that runs may read source records from, besides the stack's own source bucket.
   * @default - only the stack's own source bucket
   */
  readonly extraSourceBucketNames?: readonly string[];
  /**
   * Create the demo target table (`order-summaries`, keys from `DEMO_TARGET_TABLE`) instead of expecting it to exist.
   * @default false
   */
  readonly createDemoTargetTable?: boolean;
  /**
   * The code version pinned on every run record.
   * @default - the version in package.json
   */
  readonly codeVersion?: string;
  /**
   * How long snapshots are kept (current and noncurrent versions): the window in which a run can be rolled back.
   * @default 35
   */
  readonly snapshotRetentionDays?: number;
  /**
   * EventBridge Scheduler schedules that start backfill runs, as `readSchedules` returns them.
   * @default - no schedules (and no schedule group)
   */
  readonly schedules?: readonly ScheduleDefinition[];
  /**
   * `roles` also creates an operator, a viewer and an approver role (assumable within this account) besides their managed policies.
   * @default 'policies'
   */
  readonly accessControl?: AccessControl;
  /**
   * The people subscribed by email to the approval topic, each receiving only their own signed links.
   * @default - none: approval messages are published but reach no one by email
   */
  readonly approvers?: readonly Approver[];
  /**
   * The people subscribed by email to the operations topic: the breaker opened, a run paused.
   * @default - none: notifications are published, but reach no one by email
   */
  readonly operators?: readonly Operator[];
  /**
   * When each health signal trips its alarm under the breaker; the fields given replace those of
   * `DEFAULT_BREAKER_THRESHOLDS` (lambdas/lib/health/breakerThresholds.ts).
   * @default DEFAULT_BREAKER_THRESHOLDS
   */
  readonly breakerThresholds?: BreakerThresholdOverrides;
  /**
   * Existing CloudWatch alarms, by name, that also open the breaker (e.g. the live service's latency or error-rate alarm).
   * @default - none
   */
  readonly breakerAdoptedAlarms?: readonly string[];
  /**
   * Close the breaker by itself once its composite alarm has been OK this long.
   * @default - never: only an operator closes it (backfill breaker close --reason ...)
   */
  readonly breakerAutoCloseAfterSeconds?: number;
}

/** The backfill orchestrator: buckets, ledger, target table grants, the backfill and rollback functions and state machines, approvals, schedules, the circuit breaker (alarms, composite, rule), the operations topic, the dashboard, and the operator, viewer and approver policies. */
export class BackfillStack extends Stack {
  readonly ledger: Ledger;
  readonly artifacts: ArtifactStore;
  readonly sources: SourceBuckets;
  readonly targets: TargetTables;
  /** Every Lambda function, one per row of the handler registry (lambdas/handlers.ts). */
  readonly functions: HandlerFunctions;
  readonly backfill: Workflow;
  readonly rollback: Workflow;
  /** Marks the run of an execution that was stopped, timed out or failed outside the workflow. */
  readonly statusChanges: ExecutionStatusRule;
  /** The approval topic (and its subscriptions), the link-signing key and the approval page's URL. */
  readonly approvals: Approvals;
  /** The operator, viewer and approver policies (and roles). */
  readonly access: AccessPolicies;
  /** The schedules that start runs, when any are configured. */
  readonly schedules?: BackfillSchedules;
  /** The operations topic (breaker and pause notifications) and the operator control endpoint. */
  readonly operations: Operations;
  /** The breaker's alarms, its composite alarm and the rule that delivers its state changes to the breaker handler. */
  readonly breaker: Breaker;
  readonly dashboard: BackfillDashboard;

  constructor(scope: Construct, id: string, props: BackfillStackProps) {
    super(scope, id, props);
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs');
    this.artifacts = new ArtifactStore(this, 'Artifacts', { accessLogsBucket: accessLogs.bucket, snapshotRetentionDays: props.snapshotRetentionDays });
    this.sources = new SourceBuckets(this, 'Sources', { accessLogsBucket: accessLogs.bucket, extraBucketNames: props.extraSourceBucketNames });
    this.ledger = new Ledger(this, 'Ledger');
    this.targets = new TargetTables(this, 'Targets', {
      tableNames: props.targetTableNames,
      demoTableName: props.createDemoTargetTable ? LOCAL_NAMES.demoTargetTable : undefined,
    });
    this.approvals = new Approvals(this, 'Approvals', { approvers: props.approvers });
    this.operations = new Operations(this, 'Operations', { operators: props.operators });
    const backfillStateMachineName = `${this.stackName}-backfill`;
    this.functions = new HandlerFunctions(this, 'Functions', {
      ledger: this.ledger,
      artifacts: this.artifacts,
      sources: this.sources,
      targets: this.targets,
      approvals: this.approvals,
      operations: this.operations,
      backfillStateMachineName,
      breakerAutoCloseAfterSeconds: props.breakerAutoCloseAfterSeconds,
      backfillStateMachineArn: this.formatArn({ service: 'states', resource: 'stateMachine', resourceName: backfillStateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      codeVersion: props.codeVersion ?? packageVersion(),
    });
    this.rollback = new Workflow(this, 'Rollback', { workflow: 'rollback', functions: this.functions, artifacts: this.artifacts });
    // A rejected canary may be rolled back by the backfill itself (onRejection: rollback-canary).
    this.backfill = new Workflow(this, 'Backfill', { workflow: 'backfill', functions: this.functions, artifacts: this.artifacts, stateMachineName: backfillStateMachineName, startableWorkflows: [this.rollback] });
    this.statusChanges = new ExecutionStatusRule(this, 'ExecutionStatusChanges', {
      stateMachines: [this.backfill.stateMachine, this.rollback.stateMachine],
      handler: this.functions.functions[handlerIdOfEventRule('execution-status-change')],
    });
    // By name, not the tables' tokens: each name is also an alarm's id and name.
    const targetTableNames = [...new Set([...(props.createDemoTargetTable ? [LOCAL_NAMES.demoTargetTable] : []), ...props.targetTableNames])];
    const workerFunction = this.functions.functions.worker;
    this.breaker = new Breaker(this, 'Breaker', {
      workerFunction,
      targetTableNames,
      thresholds: resolveBreakerThresholds(props.breakerThresholds),
      adoptedAlarmNames: props.breakerAdoptedAlarms,
      metricsNamespace: DEFAULT_METRICS_NAMESPACE,
      handler: this.functions.functionOfEventRule('breaker-alarm'),
    });
    this.dashboard = new BackfillDashboard(this, 'Dashboard', {
      stateMachine: this.backfill.stateMachine,
      workerFunction,
      targetTableNames,
      breakerAlarms: [this.breaker.compositeAlarm, ...Object.values(this.breaker.alarms), ...this.breaker.adoptedAlarms],
      metricsNamespace: DEFAULT_METRICS_NAMESPACE,
    });

    this.access = new AccessPolicies(this, 'Access', {
      backfill: this.backfill,
      rollback: this.rollback,
      ledger: this.ledger,
      artifacts: this.artifacts,
      targets: this.targets,
      approvalDecisions: this.functions.functionUrls['approvals-iam'],
      operatorControls: this.functions.functionUrls['controls-iam'],
      accessControl: props.accessControl,
    });
    if (props.schedules !== undefined && props.schedules.length > 0) {
      checkScheduleTargets(props.schedules, targetTableNames);
      this.schedules = new BackfillSchedules(this, 'Schedules', { schedules: props.schedules, stateMachine: this.backfill.stateMachine });
    }

    // The CLI reads these by id (cli/target): keep them stable.
    new CfnOutput(this, 'StateMachineArn', { value: this.backfill.stateMachine.stateMachineArn });
    new CfnOutput(this, 'RollbackStateMachineArn', { value: this.rollback.stateMachine.stateMachineArn });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledger.table.tableName });
    new CfnOutput(this, 'ArtifactsBucketName', { value: this.artifacts.bucket.bucketName });
    new CfnOutput(this, 'SourceBucketName', { value: this.sources.bucket.bucketName });
    new CfnOutput(this, 'OperatorPolicyArn', { value: this.access.policies.operator.managedPolicyArn });
    new CfnOutput(this, 'ViewerPolicyArn', { value: this.access.policies.viewer.managedPolicyArn });
    new CfnOutput(this, 'ApproverPolicyArn', { value: this.access.policies.approver.managedPolicyArn });
    if (this.access.roles) {
      new CfnOutput(this, 'OperatorRoleArn', { value: this.access.roles.operator.roleArn });
      new CfnOutput(this, 'ViewerRoleArn', { value: this.access.roles.viewer.roleArn });
      new CfnOutput(this, 'ApproverRoleArn', { value: this.access.roles.approver.roleArn });
    }
    new CfnOutput(this, 'ApprovalTopicArn', { value: this.approvals.topic.topicArn });
    new CfnOutput(this, 'ApprovalPageUrl', { value: this.functions.functionUrls.approvals.url });
    new CfnOutput(this, 'ApprovalDecideUrl', { value: this.functions.functionUrls['approvals-iam'].url });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.operations.topic.topicArn });
    new CfnOutput(this, 'BreakerAlarmName', { value: this.breaker.compositeAlarm.alarmName });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
    new CfnOutput(this, 'ControlsUrl', { value: this.functions.functionUrls['controls-iam'].url });
    if (this.schedules) new CfnOutput(this, 'ScheduleGroupName', { value: this.schedules.group.scheduleGroupName });
  }
}
