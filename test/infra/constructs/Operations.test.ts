import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Operations } from '../../../infra/constructs/Operations';

// GIVEN a stack with two operators, the controls served from a function of the test's own, and a role granted notify
function synth(operators = [{ email: 'oncall@example.com' }, { email: 'lead@example.com' }]) {
  const stack = new Stack(new App(), 'Test');
  const operations = new Operations(stack, 'Operations', { operators });
  const controls = new lambda.Function(stack, 'Controls', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const url = operations.addControlEndpoint(controls);
  const notifier = new iam.Role(stack, 'Notifier', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  operations.grantNotify(notifier);
  const id = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
  return { stack, template: Template.fromStack(stack), ids: { topic: id(operations.topic), key: id(operations.topicKey), controls: id(controls), url: id(url), notifier: id(notifier) } };
}
const { stack, template, ids } = synth();

describe('Operations', () => {
  it('has a topic encrypted with a customer-managed key that rotates, refusing publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: ids.topic }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('subscribes each operator by email, unfiltered (every notification is for every operator)', () => {
    expect(Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: ids.topic } },
      { Protocol: 'email', Endpoint: 'lead@example.com', TopicArn: { Ref: ids.topic } },
    ]);
    synth([]).template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('lets a grantee publish to the topic and use its key, nothing else', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: ids.notifier }] } })).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: ids.topic } },
      { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
    ]);
  });

  it('serves the control endpoint at a Function URL with AWS_IAM auth', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [ids.controls, 'Arn'] } });
  });

  it('passes the AWS Solutions checks (its own resources)', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const own = report.violations.flatMap((v) => v.violatingResources.filter((r) => (r.constructPath ?? '').startsWith('Test/Operations/')).map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(own).toEqual([]);
  });
});
