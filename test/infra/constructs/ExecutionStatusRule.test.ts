import { App, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ExecutionStatusRule } from '../../../infra/constructs/ExecutionStatusRule';

// GIVEN a stack with two state machines and a function of the test's own
function synth(props: { retryAttempts?: number; maxEventAge?: Duration } = {}) {
  const stack = new Stack(new App(), 'Test');
  const backfill = new sfn.StateMachine(stack, 'Backfill', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'B')) });
  const rollback = new sfn.StateMachine(stack, 'Rollback', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'R')) });
  const handler = new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const construct = new ExecutionStatusRule(stack, 'StatusChange', { stateMachines: [backfill, rollback], handler, ...props });
  const ids = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
  return { stack, template: Template.fromStack(stack), ids: { backfill: ids(backfill), rollback: ids(rollback), handler: ids(handler), rule: ids(construct.rule), queue: ids(construct.deadLetterQueue) } };
}
const { stack, template, ids } = synth();

describe('ExecutionStatusRule', () => {
  it('matches the status changes of both state machines\' own executions that ended ABORTED, TIMED_OUT or FAILED', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: [{ Ref: ids.backfill }, { Ref: ids.rollback }] },
      },
      State: 'ENABLED',
    });
  });

  it('delivers each event to the handler with retries, a maximum age and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [ids.handler, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
        },
      ],
    });
  });

  it('takes the retry policy from its props', () => {
    synth({ retryAttempts: 2, maxEventAge: Duration.hours(1) }).template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } })],
    });
  });

  it('lets only this rule invoke the handler', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ids.handler, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ids.rule, 'Arn'] },
    });
  });

  it('keeps undeliverable events for 14 days in an encrypted, TLS-only queue that only this rule may send to', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ids.rule, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('passes the AWS Solutions checks (cdk-nag; the test\'s own function aside)', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const ours = report.violations.flatMap((v) => v.violatingResources.filter((r) => r.constructPath?.startsWith('Test/StatusChange/')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(ours).toEqual([]);
  });
});
