import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { Approvals, SIGNING_KEY_LENGTH } from '../../../infra/constructs/Approvals';

// GIVEN a stack with two approvers, the page served from a function of the test's own, and a role granted each approval access
function synth(approvers = [{ email: 'alice@example.com' }, { email: 'bob@example.com' }]) {
  const stack = new Stack(new App(), 'Test');
  const approvals = new Approvals(stack, 'Approvals', { approvers });
  const page = new lambda.Function(stack, 'Page', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  const url = approvals.addPage(page);
  const notifier = new iam.Role(stack, 'Notifier', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const signer = new iam.Role(stack, 'Signer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  approvals.grantNotify(notifier);
  approvals.grantReadSigningKey(signer);
  const id = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
  const ids = { topic: id(approvals.topic), key: id(approvals.topicKey), secret: id(approvals.signingKey), page: id(page), url: id(url), notifier: id(notifier), signer: id(signer) };
  return { stack, template: Template.fromStack(stack), ids };
}
const { stack, template, ids } = synth();
const statementsOf = (roleId: string) =>
  Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } })).flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('Approvals', () => {
  describe('the topic', () => {
    it('is encrypted with a customer-managed key that rotates', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [ids.key, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('refuses publishing without TLS', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: ids.topic }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    it('subscribes each approver by email, filtered on the message attribute approver to their own address', () => {
      const found = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties);
      // No FilterPolicyScope: SNS then filters on the message attributes.
      expect(found).toEqual([
        { Protocol: 'email', Endpoint: 'alice@example.com', TopicArn: { Ref: ids.topic }, FilterPolicy: { approver: ['alice@example.com'] }},
        { Protocol: 'email', Endpoint: 'bob@example.com', TopicArn: { Ref: ids.topic }, FilterPolicy: { approver: ['bob@example.com'] }},
      ]);
    });

    it('keeps each approver\'s subscription when the list is reordered (no new confirmation mail)', () => {
      const subscriptionIds = (t: Template) => Object.keys(t.findResources('AWS::SNS::Subscription')).sort();
      expect(subscriptionIds(synth([{ email: 'bob@example.com' }, { email: 'alice@example.com' }]).template)).toEqual(subscriptionIds(template));
    });

    it('has no subscription when no approver is configured', () => {
      synth([]).template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('the link-signing key', () => {
    it('is a generated secret of 64 letters and digits (about 381 bits)', () => {
      expect(SIGNING_KEY_LENGTH).toBe(64);
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false, RequireEachIncludedType: false },
      });
      // 62 symbols, 64 of them: log2(62^64) ≥ 256 bits (32 bytes)
      expect(64 * Math.log2(62)).toBeGreaterThan(256);
    });
  });

  describe('the approval page', () => {
    it('is served at a Function URL without IAM auth (the links are signed)', () => {
      template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [ids.page, 'Arn'] } });
    });

    it('may be invoked through that URL only', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE', FunctionName: { 'Fn::GetAtt': [ids.page, 'Arn'] } });
      template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true, FunctionName: { 'Fn::GetAtt': [ids.page, 'Arn'] } });
    });
  });

  describe('grants', () => {
    it('grantNotify allows sns:Publish on the topic and the data key of its KMS key, nothing else', () => {
      expect(statementsOf(ids.notifier)).toEqual([
        { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: ids.topic } },
        { Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.key, 'Arn'] } },
      ]);
    });

    it('grantReadSigningKey allows secretsmanager:GetSecretValue on the signing key only', () => {
      expect(statementsOf(ids.signer)).toEqual([{ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: ids.secret } }]);
    });
  });

  it('passes the AWS Solutions checks, the signing key\'s rotation (SMG4) acknowledged with its reason', () => {
    const report = new AwsSolutionsChecks().validateScope(stack.node.findChild('Approvals'));
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
