import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { BackfillSchedules } from '../../../infra/constructs/BackfillSchedules';
import { REPO_ROOT } from '../../../infra/paths';
import { readSchedules } from '../../../infra/schedules';
import { FAKE_ENV, permissionLines, resolveValue, rolePermissions } from '../support/iamPolicy';
import type { TemplateJson } from '../support/synthBackfillStack';

// GIVEN two schedules of the example spec and a state machine
const definitions = readSchedules(
  [
    { name: 'nightly-orders', expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', specFile: 'examples/orders-spec.json', flexibleWindowMinutes: 15 },
    { name: 'hourly-orders', expression: 'rate(1 hour)', specFile: 'examples/orders-spec.json' },
  ],
  REPO_ROOT,
);
const stack = new Stack(new App(), 'Test');
const stateMachine = new sfn.StateMachine(stack, 'Backfill', { stateMachineName: 'Test-backfill', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
const construct = new BackfillSchedules(stack, 'Schedules', { schedules: definitions, stateMachine });
const template = Template.fromStack(stack);
const json = template.toJSON() as TemplateJson;
const id = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
const schedules = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
const scheduleNamed = (name: string) => schedules.find((r) => r.Properties?.Name === name)!.Properties as Record<string, any>;
const stateMachineArn = `arn:${FAKE_ENV.partition}:states:${FAKE_ENV.region}:${FAKE_ENV.account}:stateMachine:Test-backfill`;

describe('BackfillSchedules', () => {
  it('creates one schedule per entry, named as the entry, in its schedule group', () => {
    expect(schedules.map((r) => r.Properties?.Name)).toEqual(['nightly-orders', 'hourly-orders']);
    for (const schedule of schedules) expect(schedule.Properties?.GroupName).toBe(stack.resolve(construct.group.scheduleGroupName));
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  it('takes the expression, time zone (default UTC) and flexible window from the entry', () => {
    expect(scheduleNamed('nightly-orders')).toMatchObject({
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'ENABLED',
    });
    expect(scheduleNamed('hourly-orders')).toMatchObject({ ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'Etc/UTC', FlexibleTimeWindow: { Mode: 'OFF' } });
  });

  it('calls sfn:startExecution through the universal target, with retries and a dead-letter queue', () => {
    expect(scheduleNamed('nightly-orders').Target).toMatchObject({
      Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:sfn:startExecution']] },
      RoleArn: { 'Fn::GetAtt': [id(construct.role), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(construct.deadLetterQueue), 'Arn'] } },
    });
  });

  it('sends the backfill state machine\'s ARN and, as the execution input, the spec with the schedule\'s name, scheduled time and starter', () => {
    // WHEN the target's input is resolved and parsed
    const input = JSON.parse(resolveValue(json, scheduleNamed('nightly-orders').Target.Input)) as { StateMachineArn: string; Input: string };
    // THEN it is StartExecution's request, whose Input is a string holding the execution input
    expect(Object.keys(input).sort()).toEqual(['Input', 'StateMachineArn']);
    expect(input.StateMachineArn).toBe(stateMachineArn);
    expect(typeof input.Input).toBe('string');
    expect(JSON.parse(input.Input)).toEqual({
      ...definitions[0]!.spec,
      schedule: { name: 'nightly-orders', scheduledTime: '<aws.scheduler.scheduled-time>' },
      startedBy: 'scheduler:nightly-orders',
    });
  });

  it('gives the schedules a role that allows only StartExecution on the backfill state machine (and sending to the dead-letter queue)', () => {
    expect(permissionLines(rolePermissions(json, id(construct.role)))).toEqual([
      `sqs:SendMessage arn:${FAKE_ENV.partition}:sqs:${FAKE_ENV.region}:${FAKE_ENV.account}:gen-${id(construct.deadLetterQueue)}`,
      `states:StartExecution ${stateMachineArn}`,
    ]);
  });

  it('lets only Scheduler assume the role, for this account and schedule group', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': { 'Fn::GetAtt': [id(construct.group), 'Arn'] },
              },
            },
          }),
        ],
      },
    });
  });

  it('keeps failed invocations for 14 days in an encrypted, TLS-only queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});
