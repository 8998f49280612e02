import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmDefinitions, COMPOSITE_ALARM_ID, compositeAlarmName, DEFAULT_BREAKER_THRESHOLDS, DEFAULT_METRICS_NAMESPACE, type AlarmDefinition, type BreakerThresholds } from '../../lambdas/lib/health';
import { createDeadLetterQueue } from './deadLetterQueue';

export interface BreakerProps {
  /** The worker function: its Errors and Throttles are watched. */
  readonly workerFunction: lambda.IFunction;
  /** The target tables, by name: each one's WriteThrottleEvents is watched. */
  readonly targetTableNames: readonly string[];
  /**
   * When each signal trips its alarm.
   * @default DEFAULT_BREAKER_THRESHOLDS
   */
  readonly thresholds?: BreakerThresholds;
  /**
   * Existing alarms, by name, that also open the breaker (e.g. the live service's latency or error-rate alarm).
   * @default - none
   */
  readonly adoptedAlarmNames?: readonly string[];
  /**
   * The namespace the workers' metrics are emitted into.
   * @default DEFAULT_METRICS_NAMESPACE
   */
  readonly metricsNamespace?: string;
  /**
   * The breaker handler, invoked on each change of the composite alarm to ALARM or to OK.
   * @default - no rule (the handler registry has no `breaker-alarm` row yet)
   */
  readonly handler?: lambda.IFunction;
}

const COMPARISON: Readonly<Record<AlarmDefinition['comparison'], cloudwatch.ComparisonOperator>> = {
  GreaterThanOrEqualToThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  GreaterThanThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  LessThanThreshold: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  LessThanOrEqualToThreshold: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

const MISSING_DATA: Readonly<Record<AlarmDefinition['treatMissingData'], cloudwatch.TreatMissingData>> = {
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  breaching: cloudwatch.TreatMissingData.BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
  missing: cloudwatch.TreatMissingData.MISSING,
};

/**
 * The circuit breaker's signals: one CloudWatch alarm per entry of `alarmDefinitions` (the same
 * list the local cloud evaluates), the adopted alarms, one composite alarm that is in ALARM when
 * any of them is, and an EventBridge rule on that composite's "CloudWatch Alarm State Change"
 * events (to ALARM and to OK) delivering them to the breaker handler, which opens the breaker in
 * the ledger. Undeliverable events go to an encrypted dead-letter queue.
 */
export class Breaker extends Construct {
  /** The alarms this construct created, by AlarmDefinition id. */
  readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The adopted alarms, in the order given. */
  readonly adoptedAlarms: readonly cloudwatch.IAlarm[];
  /** In ALARM when any child is: its state changes open (and may close) the breaker. */
  readonly compositeAlarm: cloudwatch.CompositeAlarm;
  readonly rule?: events.Rule;
  /** Events the rule could not deliver to the handler (with the rule). */
  readonly deadLetterQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: BreakerProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const definitions = alarmDefinitions(props.thresholds ?? DEFAULT_BREAKER_THRESHOLDS, {
      stackName,
      workerFunctionName: props.workerFunction.functionName,
      targetTables: props.targetTableNames,
      namespace: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
    });
    this.alarms = Object.fromEntries(definitions.map((definition) => [definition.id, this.alarmOf(definition)]));
    // Imported by name: nothing is created, so the construct id may follow the list's order.
    this.adoptedAlarms = (props.adoptedAlarmNames ?? []).map((name, index) => cloudwatch.Alarm.fromAlarmName(this, `AdoptedAlarm${index}`, name));
    const children = [...Object.values(this.alarms), ...this.adoptedAlarms];
    this.compositeAlarm = new cloudwatch.CompositeAlarm(this, COMPOSITE_ALARM_ID, {
      compositeAlarmName: compositeAlarmName(stackName),
      alarmDescription: 'Opens the backfill circuit breaker when any child alarm is in ALARM: no batch starts writing until an operator closes it (backfill breaker close --reason ...)',
      alarmRule: cloudwatch.AlarmRule.anyOf(...children.map((alarm) => cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM))),
    });
    if (props.handler !== undefined) {
      this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', 'the breaker alarm rule');
      this.rule = new events.Rule(this, 'AlarmStateRule', {
        description: 'Opens the backfill circuit breaker when its composite alarm goes to ALARM; records OK for the auto-close',
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          resources: [this.compositeAlarm.alarmArn],
          detail: { state: { value: ['ALARM', 'OK'] } },
        },
        targets: [new targets.LambdaFunction(props.handler, { deadLetterQueue: this.deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) })],
      });
    }
  }

  private alarmOf(definition: AlarmDefinition): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this, definition.id, {
      alarmName: definition.alarmName,
      alarmDescription: definition.description,
      metric: new cloudwatch.Metric({
        namespace: definition.namespace,
        metricName: definition.metricName,
        dimensionsMap: { ...definition.dimensions },
        statistic: definition.statistic,
        period: Duration.seconds(definition.periodSeconds),
      }),
      threshold: definition.threshold,
      evaluationPeriods: definition.evaluationPeriods,
      datapointsToAlarm: definition.datapointsToAlarm,
      comparisonOperator: COMPARISON[definition.comparison],
      treatMissingData: MISSING_DATA[definition.treatMissingData],
    });
  }
}
