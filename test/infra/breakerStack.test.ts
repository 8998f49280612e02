import { App, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { BackfillStack } from '../../infra/BackfillStack';
import { applyGrant } from '../../infra/constructs/HandlerFunctions';
import { HANDLER_IDS, HANDLERS } from '../../lambdas/handlers';
import { cdkJsonContext, synthBackfillStack } from './support/synthBackfillStack';

// GIVEN the stack with an adopted alarm, a threshold of its own, an operator and an auto-close
const { stack, template, json } = synthBackfillStack({
  breakerAdoptedAlarms: ['orders-api p99 latency'],
  breakerThresholds: { dynamoDbThrottles: { threshold: 20 } },
  operators: [{ email: 'oncall@example.com' }],
  breakerAutoCloseAfterSeconds: 900,
});
const idOf = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
const breakerRow = HANDLER_IDS.find((id) => HANDLERS[id].eventRule === 'breaker-alarm');
const controlsRow = HANDLER_IDS.find((id) => HANDLERS[id].functionUrl === 'controls-iam');

describe('the stack\'s breaker', () => {
  it('has one composite alarm, named for the stack, over the alarms and the adopted one', () => {
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    const rule = JSON.stringify(template.findResources('AWS::CloudWatch::CompositeAlarm')[idOf(stack.breaker.compositeAlarm)]!.Properties.AlarmRule);
    expect(template.findResources('AWS::CloudWatch::CompositeAlarm')[idOf(stack.breaker.compositeAlarm)]!.Properties.AlarmName).toBe('BackfillOrchestrator-breaker');
    expect(rule).toContain(':alarm:orders-api p99 latency');
    for (const alarm of Object.values(stack.breaker.alarms)) expect(rule).toContain(idOf(alarm));
  });

  it('takes the thresholds from the stack props, and watches the target table by name and the worker function', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'BackfillOrchestrator-breaker-dynamodb-throttles', Threshold: 20, Period: 10 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'WriteThrottleEvents', Dimensions: [{ Name: 'TableName', Value: 'order-summaries' }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(stack.functions.functions.worker) } }] });
  });

  (breakerRow ? it : it.skip)('delivers the composite alarm\'s state changes to the breaker-alarm row\'s function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], resources: [{ 'Fn::GetAtt': [idOf(stack.breaker.compositeAlarm), 'Arn'] }], detail: { state: { value: ['ALARM', 'OK'] } } },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [idOf(stack.functions.functions[breakerRow!]), 'Arn'] } })],
    });
  });

  it('tells every function when the breaker closes by itself (BREAKER_AUTO_CLOSE_SECONDS)', () => {
    for (const id of HANDLER_IDS) {
      expect((json.Resources[idOf(stack.functions.functions[id])]!.Properties as any).Environment.Variables.BREAKER_AUTO_CLOSE_SECONDS).toBe('900');
    }
    const { json: plain, stack: plainStack } = synthBackfillStack();
    expect((plain.Resources[plainStack.resolve((plainStack.functions.functions.worker.node.defaultChild as CfnElement).logicalId)]!.Properties as any).Environment.Variables).not.toHaveProperty('BREAKER_AUTO_CLOSE_SECONDS');
  });

  it('subscribes the operators to the operations topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: idOf(stack.operations.topic) } });
  });

  it('serves the operator controls at an AWS_IAM Function URL the operator policy may invoke (through the URL only)', () => {
    const target = { 'Fn::GetAtt': [idOf(stack.functions.functions[controlsRow!]), 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: target });
    const controls = { 'Fn::GetAtt': [idOf(stack.functions.functionUrls['controls-iam']), 'FunctionArn'] };
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('^Operate backfill runs'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunctionUrl', Resource: controls, Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } }),
          Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: controls, Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } }),
        ]),
      },
    });
  });
});

describe('the dashboard', () => {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);

  it('is one dashboard named for the stack', () => {
    expect(dashboards.map((d) => d.Properties.DashboardName)).toEqual(['BackfillOrchestrator-backfill']);
  });

  it.each([
    ['the breaker\'s state (an alarm status widget)', '\\"type\\":\\"alarm\\"'],
    ['runs in flight', 'RUNNING_SUM'],
    ['records per second', 'read / PERIOD(read)'],
    ['written / unchanged / skipped', 'RecordsSkippedChanged'],
    ['failures', 'BatchesFailed'],
    ['throttles seen by the workers', 'DynamoDBThrottles'],
    ['the target table\'s throttles', 'WriteThrottleEvents'],
    ['write latency', 'WriteLatency'],
    ['the controller\'s concurrency', 'MapRunConcurrency'],
  ])('shows %s', (_what, text) => {
    expect(body).toContain(text);
  });
});

describe('the breaker\'s and the controller\'s grants', () => {
  // GIVEN a function of the test's own in the stack, given each grant as a registry row would
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
  const s = new BackfillStack(app, 'BackfillOrchestrator', { targetTableNames: ['order-summaries'] });
  const role = new iam.Role(s, 'GrantedRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const fn = new lambda.Function(s, 'Granted', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), role });
  const props = {
    ledger: s.ledger, artifacts: s.artifacts, sources: s.sources, targets: s.targets, approvals: s.approvals, operations: s.operations,
    backfillStateMachineName: 'BackfillOrchestrator-backfill', backfillStateMachineArn: s.backfill.stateMachine.stateMachineArn, codeVersion: 'test',
  };
  applyGrant('operations:notify')(fn, role, props);
  applyGrant('states:update-map-run')(fn, role, props);
  const t = Template.fromStack(s);
  const ids = (c: IConstruct) => s.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
  const statements = Object.values(t.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids(role) }] } })).flatMap((p) => p.Properties.PolicyDocument.Statement);
  const arn = (resource: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`]] });

  it('operations:notify is sns:Publish on the operations topic (and its key), and names the topic in OPERATIONS_TOPIC_ARN', () => {
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: ids(s.operations.topic) } },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [ids(s.operations.topicKey), 'Arn'] } },
      ]),
    );
    t.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [ids(role), 'Arn'] }, Environment: { Variables: { OPERATIONS_TOPIC_ARN: { Ref: ids(s.operations.topic) } } } });
  });

  it('states:update-map-run is ListMapRuns on the backfill\'s executions and UpdateMapRun on their Map Runs, nothing broader', () => {
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'states:ListMapRuns', Resource: arn('execution:BackfillOrchestrator-backfill:*') },
        { Effect: 'Allow', Action: 'states:UpdateMapRun', Resource: arn('mapRun:BackfillOrchestrator-backfill/*:*') },
      ]),
    );
    expect(statements).toHaveLength(4);
  });

  it('pass the AWS Solutions checks (the Map Run wildcards acknowledged, each by its exact resource)', () => {
    const report = new AwsSolutionsChecks().validateScope(s);
    const mine = report.violations.flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('BackfillOrchestrator/GrantedRole')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(mine).toEqual([]);
  });
});
