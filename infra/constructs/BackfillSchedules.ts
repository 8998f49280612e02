import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { schedulerStartExecutionInput, type ScheduleDefinition } from '../schedules';
import { createDeadLetterQueue } from './deadLetterQueue';

export interface BackfillSchedulesProps {
  /** The schedules, as `readSchedules` returns them (each spec already validated). */
  readonly schedules: readonly ScheduleDefinition[];
  /** The backfill state machine each schedule starts. */
  readonly stateMachine: sfn.IStateMachine;
  /**
   * How often Scheduler retries a StartExecution that failed (throttled, service error). Safe:
   * every attempt for one scheduled time names the same run.
   * @default 5
   */
  readonly retryAttempts?: number;
  /**
   * How long Scheduler keeps retrying one invocation before sending it to the dead-letter queue.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
}

/**
 * EventBridge Scheduler schedules that start backfill runs: one schedule per entry, in one
 * schedule group, each calling the universal target `sfn:startExecution` on the backfill state
 * machine with the entry's spec, its name and `<aws.scheduler.scheduled-time>` as the input
 * (`schedulerStartExecutionInput`: the workflow derives the runId from them, so a retried or
 * duplicated invocation starts no second run). One role, which Scheduler may assume only for
 * this group, allows only that StartExecution (and delivery to the dead-letter queue).
 */
export class BackfillSchedules extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly schedules: readonly scheduler.Schedule[];
  /** The role every schedule's target runs as. */
  readonly role: iam.IRole;
  /** Invocations Scheduler gave up on. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: BackfillSchedulesProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group');
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', 'the backfill schedules');
    this.role = new iam.Role(this, 'Role', {
      description: 'Lets EventBridge Scheduler start the backfill state machine for the backfill schedules',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: {
          'aws:SourceAccount': Stack.of(this).account,
          'aws:SourceArn': this.group.scheduleGroupArn,
        },
      }),
    });
    const startExecution = new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [props.stateMachine.stateMachineArn] });

    this.schedules = props.schedules.map(
      (definition) =>
        new scheduler.Schedule(this, definition.name, {
          scheduleName: definition.name,
          scheduleGroup: this.group,
          description: `Starts the backfill ${definition.spec.jobName} with ${definition.specFile}`,
          schedule: scheduler.ScheduleExpression.expression(definition.expression, definition.timezone === undefined ? undefined : TimeZone.of(definition.timezone)),
          timeWindow: definition.flexibleWindowMinutes === undefined ? scheduler.TimeWindow.off() : scheduler.TimeWindow.flexible(Duration.minutes(definition.flexibleWindowMinutes)),
          target: new targets.Universal({
            service: 'sfn',
            action: 'startExecution',
            role: this.role,
            policyStatements: [startExecution],
            input: scheduler.ScheduleTargetInput.fromObject({
              StateMachineArn: props.stateMachine.stateMachineArn,
              Input: schedulerStartExecutionInput(definition, definition.spec),
            }),
            deadLetterQueue: this.deadLetterQueue,
            retryAttempts: props.retryAttempts ?? 5,
            maxEventAge: props.maxEventAge ?? Duration.hours(1),
          }),
        }),
    );
  }
}
