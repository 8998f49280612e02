import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Breaker, type BreakerProps } from '../../../infra/constructs/Breaker';
import { alarmDefinitions, DEFAULT_BREAKER_THRESHOLDS, resolveBreakerThresholds } from '../../../lambdas/lib/health';

// GIVEN a stack named Prod with a worker function and a breaker handler of the test's own
function synth(props: Partial<BreakerProps> & { withHandler?: boolean } = {}) {
  const stack = new Stack(new App(), 'Prod', { env: { account: '123456789012', region: 'us-east-1' } });
  const fn = (id: string) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const workerFunction = fn('Worker');
  const handler = props.withHandler === false ? undefined : fn('BreakerHandler');
  const breaker = new Breaker(stack, 'Breaker', { workerFunction, handler, targetTableNames: ['orders', 'summaries'], ...props });
  const id = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
  return { stack, breaker, template: Template.fromStack(stack), ids: { worker: id(workerFunction), handler: handler && id(handler), composite: id(breaker.compositeAlarm) } };
}

// Renders a CloudFormation string value: Fn::Join concatenated, Ref X -> <X>, GetAtt X.A -> <X.A>.
function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flat).join(delimiter);
  }
  if ('Ref' in node) return `<${String(node.Ref)}>`;
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

describe('Breaker', () => {
  const { stack, breaker, template, ids } = synth({ adoptedAlarmNames: ['orders-api p99 latency'] });
  const definitions = alarmDefinitions(DEFAULT_BREAKER_THRESHOLDS, { stackName: 'Prod', workerFunctionName: 'w', targetTables: ['orders', 'summaries'] });

  it('creates one alarm per alarm definition (the list the local cloud evaluates), by its name', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.values(alarms).map((a) => a.Properties.AlarmName).sort()).toEqual(definitions.map((d) => d.alarmName).sort());
  });

  it('watches the workers\' high-resolution metrics at their period, M of N and threshold, with the dimensions they are emitted with', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Prod-breaker-dynamodb-throttles',
      Namespace: 'Backfill',
      MetricName: 'DynamoDBThrottles',
      Dimensions: [
        { Name: 'Stack', Value: 'Prod' },
        { Name: 'service', Value: 'worker' },
      ],
      Statistic: 'Sum',
      Period: 10,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Prod-breaker-write-latency', MetricName: 'WriteLatency', ExtendedStatistic: 'p99', Period: 30 });
  });

  it('watches the worker function\'s Errors and Throttles and each target table\'s WriteThrottleEvents', () => {
    for (const metricName of ['Errors', 'Throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: { Ref: ids.worker } }], Period: 60 });
    }
    for (const table of ['orders', 'summaries']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: `Prod-breaker-target-write-throttles-${table}`, Namespace: 'AWS/DynamoDB', MetricName: 'WriteThrottleEvents', Dimensions: [{ Name: 'TableName', Value: table }] });
    }
  });

  it('takes the thresholds given', () => {
    const { template: custom } = synth({ thresholds: resolveBreakerThresholds({ dynamoDbThrottles: { threshold: 5, periodSeconds: 30 } }) });
    custom.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Prod-breaker-dynamodb-throttles', Threshold: 5, Period: 30 });
  });

  it('puts every alarm and the adopted ones under one composite alarm that is in ALARM when any child is', () => {
    const composites = template.findResources('AWS::CloudWatch::CompositeAlarm');
    expect(Object.keys(composites)).toEqual([ids.composite]);
    const { AlarmName, AlarmRule } = composites[ids.composite]!.Properties;
    expect(AlarmName).toBe('Prod-breaker');
    const rule = flat(AlarmRule);
    const children = [
      ...Object.values(breaker.alarms).map((alarm) => `ALARM("<${stack.resolve((alarm.node.defaultChild as CfnElement).logicalId)}.Arn>")`),
      'ALARM("arn:<AWS::Partition>:cloudwatch:us-east-1:123456789012:alarm:orders-api p99 latency")',
    ];
    expect(rule).toBe(`(${children.join(' OR ')})`);
  });

  it('delivers the composite alarm\'s state changes to ALARM and to OK to the breaker handler, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [{ 'Fn::GetAtt': [ids.composite, 'Arn'] }],
        detail: { state: { value: ['ALARM', 'OK'] } },
      },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [ids.handler, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.resolve((breaker.deadLetterQueue!.node.defaultChild as CfnElement).logicalId), 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [ids.handler, 'Arn'] }, Principal: 'events.amazonaws.com' });
  });

  it('has no rule while there is no breaker handler', () => {
    const { template: noHandler, breaker: b } = synth({ withHandler: false });
    noHandler.resourceCountIs('AWS::Events::Rule', 0);
    noHandler.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    expect(b.rule).toBeUndefined();
  });

  it('passes the AWS Solutions checks (its own resources; the test\'s functions are not its)', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const own = report.violations.flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('Prod/Breaker/')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(own).toEqual([]);
  });
});
