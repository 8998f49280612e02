import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { HANDLER_IDS, HANDLERS, handlerIdOfFunctionUrl, type HandlerId } from '../../lambdas/handlers';
import { synthBackfillStack } from './support/synthBackfillStack';

// GIVEN the stack as cdk.json configures it (no demo table, no extra source buckets)
const { template, json, stack } = synthBackfillStack();
const resourcesOfType = (type: string) => Object.entries(json.Resources).filter(([, r]) => r.Type === type);
// Test names show construct paths (e.g. "Artifacts/Bucket"), not logical ids.
const named = (type: string) => resourcesOfType(type).map(([id, r]) => [String((r as any).Metadata?.['aws:cdk:path'] ?? id).replace(/^BackfillOrchestrator\/|\/Resource$/g, ''), id]);

describe('BackfillStack', () => {
  describe('buckets', () => {
    const buckets = resourcesOfType('AWS::S3::Bucket');

    it('creates the access-logs, artifacts and source buckets', () => {
      expect(buckets).toHaveLength(3);
    });

    it.each(named('AWS::S3::Bucket'))('%s is encrypted, versioned, private and retained', (_name, id) => {
      const bucket = json.Resources[id];
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: expect.any(String) } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      });
      expect(['AES256', 'aws:kms']).toContain((bucket.Properties as any).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm);
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(bucket.UpdateReplacePolicy).toBe('Retain');
    });

    it.each(named('AWS::S3::Bucket'))('%s refuses requests without TLS', (_name, id) => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('sends the artifacts and source buckets\' server access logs to the access-logs bucket', () => {
      const logsBucketId = stack.resolve((stack.node.findChild('AccessLogs').node.findChild('Bucket').node.defaultChild as any).logicalId) as string;
      const logged = buckets.filter(([, b]) => b.Properties?.LoggingConfiguration).map(([id]) => id);
      expect(logged.sort()).toEqual(buckets.map(([id]) => id).filter((id) => id !== logsBucketId).sort());
      for (const id of logged) expect(json.Resources[id].Properties?.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logsBucketId } });
    });
  });

  describe('ledger table', () => {
    it('is the only table the stack creates when no demo table is asked for (targets are referenced by name)', () => {
      expect(resourcesOfType('AWS::DynamoDB::Table')).toHaveLength(1);
      expect(resourcesOfType('AWS::DynamoDB::GlobalTable')).toHaveLength(0);
    });

    it('is on-demand, with point-in-time recovery and deletion protection, and retained', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('functions', () => {
    const functions = resourcesOfType('AWS::Lambda::Function');

    it('are one per row of the handler registry (lambdas/handlers.ts)', () => {
      expect(functions).toHaveLength(HANDLER_IDS.length);
    });

    it.each(named('AWS::Lambda::Function'))('%s runs on arm64 with Node.js 22 or newer, traced', (_name, id) => {
      const props = json.Resources[id].Properties as Record<string, any>;
      expect(props.Architectures).toEqual(['arm64']);
      const runtime = /^nodejs(\d+)\.x$/.exec(props.Runtime);
      expect(runtime).not.toBeNull();
      expect(Number(runtime![1])).toBeGreaterThanOrEqual(22);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    });

    const idOfConstruct = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
    // What the approval grants name (lambdas/lib/approval/ApprovalServices.ts reads them).
    const approvalEnvironment: Partial<Record<HandlerId, Record<string, unknown>>> = {
      'request-approval': {
        APPROVAL_TOPIC_ARN: { Ref: idOfConstruct(stack.approvals.topic) },
        APPROVAL_SIGNING_SECRET_ARN: { Ref: idOfConstruct(stack.approvals.signingKey) },
        APPROVAL_PAGE_URL: { 'Fn::GetAtt': [idOfConstruct(stack.functions.functionUrls.approvals), 'FunctionUrl'] },
      },
      // No URL of its own (it would be circular), no topic (it publishes nothing).
      'approval-page': { APPROVAL_SIGNING_SECRET_ARN: { Ref: idOfConstruct(stack.approvals.signingKey) } },
    };

    it.each(HANDLER_IDS.map((handlerId) => [handlerId]))('%s gets the ledger, artifacts bucket, code version and Powertools settings, and the approval resources its grants name', (handlerId) => {
      const variables = (json.Resources[idOfConstruct(stack.functions.functions[handlerId])].Properties as any).Environment.Variables;
      expect(variables).toEqual({
        LEDGER_TABLE_NAME: { Ref: stack.resolve((stack.ledger.table.node.defaultChild as any).logicalId) },
        ARTIFACTS_BUCKET_NAME: { Ref: stack.resolve((stack.artifacts.bucket.node.defaultChild as any).logicalId) },
        CODE_VERSION: '0.1.0',
        POWERTOOLS_SERVICE_NAME: 'backfill-orchestrator',
        POWERTOOLS_METRICS_NAMESPACE: 'Backfill',
        BACKFILL_STACK_NAME: 'BackfillOrchestrator',
        NODE_OPTIONS: '--enable-source-maps',
        ...approvalEnvironment[handlerId],
        // The breaker handler's notifications (lambdas/lib/breaker reads it).
        ...((HANDLERS[handlerId].grants as readonly string[]).includes('operations:notify') ? { OPERATIONS_TOPIC_ARN: { Ref: idOfConstruct(stack.operations.topic) } } : {}),
      });
    });

    it('serves the approval page at a Function URL without IAM auth (its links are signed), and the decision endpoint of backfill approve with AWS_IAM auth', () => {
      const urls = resourcesOfType('AWS::Lambda::Url');
      expect(urls.map(([, url]) => url.Properties)).toEqual([
        { AuthType: 'NONE', TargetFunctionArn: { 'Fn::GetAtt': [idOfConstruct(stack.functions.functions[handlerIdOfFunctionUrl('approvals')]), 'Arn'] } },
        { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [idOfConstruct(stack.functions.functions[handlerIdOfFunctionUrl('approvals-iam')]), 'Arn'] } },
        { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [idOfConstruct(stack.functions.functions[handlerIdOfFunctionUrl('controls-iam')]), 'Arn'] } },
      ]);
    });

    it.each(named('AWS::Lambda::Function'))('%s logs to its own log group, which expires logs', (_name, id) => {
      const logGroup = (json.Resources[id].Properties as any).LoggingConfig.LogGroup;
      expect(logGroup).toEqual({ Ref: expect.any(String) });
      expect(json.Resources[logGroup.Ref].Properties?.RetentionInDays).toEqual(expect.any(Number));
    });
  });

  describe('state machines', () => {
    it('are the backfill and the rollback workflows', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    });

    it.each(['backfill', 'rollback'])('the %s workflow is STANDARD, logs ALL events with execution data, and is traced', (name) => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        StateMachineName: `BackfillOrchestrator-${name}`,
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }] },
        TracingConfiguration: { Enabled: true },
      });
    });

    it.each(['backfill', 'rollback'])('the %s workflow logs to a vended-logs log group that expires logs', (name) => {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/states/BackfillOrchestrator-${name}`,
        RetentionInDays: Match.anyValue(),
      });
    });

    it.each(resourcesOfType('AWS::StepFunctions::StateMachine').map(([id]) => [id]))('%s is created only after its role\'s policy exists (Step Functions checks log delivery rights at creation)', (id) => {
      const machine = json.Resources[id];
      const roleId = (machine.Properties as any).RoleArn['Fn::GetAtt'][0];
      const [policyId] = resourcesOfType('AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }])) ?? [];
      expect(policyId).toBeDefined();
      expect(machine.DependsOn).toContain(policyId);
    });

    it.each(resourcesOfType('AWS::StepFunctions::StateMachine').map(([id]) => [id]))('%s may be assumed by Step Functions on behalf of this account only', (id) => {
      const roleId = (json.Resources[id].Properties as any).RoleArn['Fn::GetAtt'][0];
      expect(json.Resources[roleId].Properties?.AssumeRolePolicyDocument).toMatchObject({
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
      });
    });
  });

  describe('snapshot retention', () => {
    const artifactsId = () => stack.resolve((stack.artifacts.bucket.node.defaultChild as any).logicalId) as string;
    const snapshotRules = (resources: typeof json.Resources, id: string) =>
      ((resources[id].Properties as any).LifecycleConfiguration?.Rules ?? []).filter((rule: any) => rule.Prefix === 'snapshots/');

    it('expires current and noncurrent snapshot versions after 35 days by default (the rollback window)', () => {
      expect(snapshotRules(json.Resources, artifactsId())).toEqual([
        { Id: 'ExpireSnapshots', Prefix: 'snapshots/', Status: 'Enabled', ExpirationInDays: 35, NoncurrentVersionExpiration: { NoncurrentDays: 35 } },
      ]);
    });

    it('follows the snapshotRetentionDays stack prop, and refuses a bad one', () => {
      const custom = synthBackfillStack({ snapshotRetentionDays: 90 });
      const id = custom.stack.resolve((custom.stack.artifacts.bucket.node.defaultChild as any).logicalId) as string;
      expect(snapshotRules(custom.json.Resources, id)).toMatchObject([{ ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }]);
      expect(() => synthBackfillStack({ snapshotRetentionDays: 0 })).toThrow('snapshotRetentionDays must be a whole number of days, at least 1, got 0');
    });

    it('applies to snapshots only: no other artifact expires', () => {
      const rules = (json.Resources[artifactsId()].Properties as any).LifecycleConfiguration.Rules;
      expect(rules.map((rule: any) => rule.Prefix)).toEqual(['snapshots/']);
    });
  });

  describe('approvals', () => {
    it('outputs the approval page\'s URL and the approval topic\'s ARN', () => {
      const id = (c: IConstruct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
      template.hasOutput('ApprovalPageUrl', { Value: { 'Fn::GetAtt': [id(stack.functions.functionUrls.approvals), 'FunctionUrl'] } });
      template.hasOutput('ApprovalTopicArn', { Value: { Ref: id(stack.approvals.topic) } });
      template.hasOutput('ApprovalDecideUrl', { Value: { 'Fn::GetAtt': [id(stack.functions.functionUrls['approvals-iam']), 'FunctionUrl'] } });
    });

    it('subscribes the configured approvers, each filtered to their own links', () => {
      const { template: withApprovers } = synthBackfillStack({ approvers: [{ email: 'alice@example.com' }] });
      withApprovers.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alice@example.com', FilterPolicy: { approver: ['alice@example.com'] } });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('outputs', () => {
    it('names the state machines, ledger and buckets for the CLI, the persona policies, the breaker, operations topic and dashboard', () => {
      expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([
        'ApprovalDecideUrl',
        'ApprovalPageUrl',
        'ApprovalTopicArn',
        'ApproverPolicyArn',
        'ArtifactsBucketName',
        'BreakerAlarmName',
        'ControlsUrl',
        'DashboardName',
        'LedgerTableName',
        'OperationsTopicArn',
        'OperatorPolicyArn',
        'RollbackStateMachineArn',
        'SourceBucketName',
        'StateMachineArn',
        'ViewerPolicyArn',
      ]);
    });
  });

  describe('execution status changes', () => {
    const idOf = (token: string) => stack.resolve(token) as string;

    it('are delivered to the execution-status-change function for both state machines\' ABORTED, TIMED_OUT and FAILED executions', () => {
      const handlerId = idOf((stack.functions.functions['execution-status-change'].node.defaultChild as any).logicalId);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: {
            status: ['ABORTED', 'TIMED_OUT', 'FAILED'],
            stateMachineArn: [{ Ref: idOf((stack.backfill.stateMachine.node.defaultChild as any).logicalId) }, { Ref: idOf((stack.rollback.stateMachine.node.defaultChild as any).logicalId) }],
          },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [handlerId, 'Arn'] }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
      });
      // The other rule is the breaker's (test/infra/breakerStack.test.ts).
      template.resourceCountIs('AWS::Events::Rule', 2);
    });
  });

  describe('access and schedules by default', () => {
    it('creates the operator, viewer and approver managed policies, and no roles for them (accessControl: policies)', () => {
      expect(resourcesOfType('AWS::IAM::ManagedPolicy')).toHaveLength(3);
      expect(stack.access.roles).toBeUndefined();
      expect(resourcesOfType('AWS::IAM::Role').filter(([, r]) => JSON.stringify(r.Properties?.AssumeRolePolicyDocument).includes(':root'))).toEqual([]);
    });

    it('creates no schedule, schedule group or queue when no schedules are configured', () => {
      expect(resourcesOfType('AWS::Scheduler::Schedule')).toEqual([]);
      expect(resourcesOfType('AWS::Scheduler::ScheduleGroup')).toEqual([]);
      expect(stack.schedules).toBeUndefined();
    });
  });
});
