/**
 * One alarm of the breaker, as plain data: the stack creates it as a CloudWatch alarm and the local
 * cloud evaluates the `source: 'emf'` ones over the EMF its handlers emit (local/alarms).
 * `source: 'emf'` alarms watch metrics the handlers emit; `source: 'aws'` ones watch AWS's own
 * metrics (AWS/Lambda, AWS/DynamoDB), which exist only on AWS.
 */
export interface AlarmDefinition {
  /** Stable id (construct id on the stack). */
  readonly id: string;
  readonly alarmName: string;
  readonly description: string;
  readonly source: 'emf' | 'aws';
  readonly namespace: string;
  readonly metricName: string;
  /** The metric's exact dimensions (CloudWatch matches a metric by namespace, name and all its dimensions). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Sum' | 'Average' | 'Maximum' | 'p99';
  /** 10 and 30 need high-resolution metrics. */
  readonly periodSeconds: 10 | 30 | 60;
  readonly evaluationPeriods: number;
  /** M of the N evaluation periods that must breach. */
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  readonly treatMissingData: 'notBreaching' | 'breaching' | 'ignore' | 'missing';
}
