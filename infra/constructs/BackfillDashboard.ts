import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CONTROLLER_METRICS, DEFAULT_METRICS_NAMESPACE, SERVICE_DIMENSION, STACK_DIMENSION, WORKER_METRICS, WORKER_SERVICE } from '../../lambdas/lib/health';

export interface BackfillDashboardProps {
  /** The backfill state machine: its executions are the runs. */
  readonly stateMachine: sfn.IStateMachine;
  readonly workerFunction: lambda.IFunction;
  readonly targetTableNames: readonly string[];
  /** The breaker's composite alarm, and its children, whose states the dashboard shows. */
  readonly breakerAlarms: readonly cloudwatch.IAlarm[];
  /**
   * The namespace the workers' metrics are emitted into.
   * @default DEFAULT_METRICS_NAMESPACE
   */
  readonly metricsNamespace?: string;
  /**
   * The period of the graphs (the workers' metrics are high-resolution; CloudWatch coarsens long ranges).
   * @default Duration.seconds(60)
   */
  readonly period?: Duration;
}

/**
 * One CloudWatch dashboard (`<stack>-backfill`) for the stack's runs: the breaker's state (the
 * composite alarm and each child), runs in flight, records per second, what was written,
 * unchanged or skipped, failures, throttles, write latency, and the write-rate controller's
 * concurrency over time.
 */
export class BackfillDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BackfillDashboardProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const period = props.period ?? Duration.seconds(60);
    const worker = (metricName: string, label: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: WORKER_SERVICE, [STACK_DIMENSION]: stackName },
        statistic,
        period,
        label,
      });
    const machine = props.stateMachine;
    const runsInFlight = new cloudwatch.MathExpression({
      // Started minus ended, summed from the start of the range: exact when the range begins with no run open.
      expression: 'RUNNING_SUM(FILL(started, 0) - FILL(succeeded, 0) - FILL(failed, 0) - FILL(aborted, 0) - FILL(timedOut, 0))',
      usingMetrics: {
        started: machine.metricStarted({ period }),
        succeeded: machine.metricSucceeded({ period }),
        failed: machine.metricFailed({ period }),
        aborted: machine.metricAborted({ period }),
        timedOut: machine.metricTimedOut({ period }),
      },
      label: 'Runs in flight (started minus ended over the range)',
      period,
    });
    const recordsPerSecond = new cloudwatch.MathExpression({
      expression: 'read / PERIOD(read)',
      usingMetrics: { read: worker(WORKER_METRICS.RecordsRead, 'Records read') },
      label: 'Records read per second',
      period,
    });
    const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) => new cloudwatch.GraphWidget({ title, left, width: 8, height: 6, ...options });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-backfill`,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({ title: 'Circuit breaker (composite alarm first)', alarms: [...props.breakerAlarms], width: 8, height: 6 }),
          graph('Runs in flight', [runsInFlight]),
          graph('Records per second', [recordsPerSecond]),
        ],
        [
          graph(
            'Written / unchanged / skipped',
            [
              worker(WORKER_METRICS.RecordsWritten, 'Written'),
              worker(WORKER_METRICS.RecordsUnchanged, 'Unchanged'),
              worker(WORKER_METRICS.RecordsSkippedNewer, 'Skipped (newer live write)'),
              worker(WORKER_METRICS.RecordsSkippedChanged, 'Skipped (changed since read)'),
            ],
            { stacked: true },
          ),
          graph('Failures', [
            worker(WORKER_METRICS.BatchesFailed, 'Batch attempts failed'),
            worker(WORKER_METRICS.RecordsRejected, 'Records rejected (quarantined)'),
            props.workerFunction.metricErrors({ period, label: 'Worker errors' }),
          ]),
          graph('Throttles', [
            worker(WORKER_METRICS.DynamoDBThrottles, 'Target writes throttled (seen by the workers)'),
            props.workerFunction.metricThrottles({ period, label: 'Worker invocations throttled' }),
            ...props.targetTableNames.map(
              (table) => new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName: 'WriteThrottleEvents', dimensionsMap: { TableName: table }, statistic: 'Sum', period, label: `${table} WriteThrottleEvents` }),
            ),
          ]),
        ],
        [
          graph('Concurrency (the write-rate controller\'s MaxConcurrency)', [worker(CONTROLLER_METRICS.MapRunConcurrency, 'Map Run MaxConcurrency', 'Maximum')], { width: 12 }),
          graph('Write latency (batch median, ms)', [worker(WORKER_METRICS.WriteLatency, 'p50', 'p50'), worker(WORKER_METRICS.WriteLatency, 'p99', 'p99')], { width: 12 }),
        ],
      ],
    });
  }
}
