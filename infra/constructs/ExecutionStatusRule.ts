import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENDED_EXECUTION_STATUSES } from '../../lambdas/lib/executions/endedExecutionStatuses';
import { createDeadLetterQueue } from './deadLetterQueue';

export { ENDED_EXECUTION_STATUSES };

export interface ExecutionStatusRuleProps {
  /** The state machines whose executions are watched (the backfill and the rollback). */
  readonly stateMachines: readonly sfn.IStateMachine[];
  /** The function each event is delivered to: the `execution-status-change` handler, which marks the run. */
  readonly handler: lambda.IFunction;
  /**
   * How often EventBridge retries a delivery the function refused (throttled, unavailable).
   * @default 8
   */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps retrying one event before sending it to the dead-letter queue.
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
}

/**
 * An EventBridge rule on the state machines' "Step Functions Execution Status Change" events for
 * executions that ended ABORTED, TIMED_OUT or FAILED, delivering each to the status-change
 * handler, so that a stopped or timed-out execution never leaves its run RUNNING. Events that
 * cannot be delivered go to an encrypted dead-letter queue.
 *
 * The pattern names the state machines' own ARNs exactly: a distributed Map's child executions
 * report the ARN `<state machine>/<map run label>`, so they do not match (the Map handles them).
 */
export class ExecutionStatusRule extends Construct {
  readonly rule: events.Rule;
  /** Events the rule could not deliver to the handler. */
  readonly deadLetterQueue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: ExecutionStatusRuleProps) {
    super(scope, id);
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', 'the execution status-change rule');
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Marks a backfill run when its execution is stopped, times out or fails outside the workflow',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...ENDED_EXECUTION_STATUSES],
          stateMachineArn: props.stateMachines.map((machine) => machine.stateMachineArn),
        },
      },
      targets: [
        new targets.LambdaFunction(props.handler, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: props.retryAttempts ?? 8,
          maxEventAge: props.maxEventAge ?? Duration.hours(24),
        }),
      ],
    });
  }
}
