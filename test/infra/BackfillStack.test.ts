import { Match } from 'aws-cdk-lib/assertions';
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

    it('are the six workflow handlers', () => {
      expect(functions).toHaveLength(6);
    });

    it.each(named('AWS::Lambda::Function'))('%s runs on arm64 with Node.js 22 or newer, traced', (_name, id) => {
      const props = json.Resources[id].Properties as Record<string, any>;
      expect(props.Architectures).toEqual(['arm64']);
      const runtime = /^nodejs(\d+)\.x$/.exec(props.Runtime);
      expect(runtime).not.toBeNull();
      expect(Number(runtime![1])).toBeGreaterThanOrEqual(22);
      expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    });

    it.each(named('AWS::Lambda::Function'))('%s gets the ledger, artifacts bucket, code version and Powertools settings', (_name, id) => {
      const variables = (json.Resources[id].Properties as any).Environment.Variables;
      expect(variables).toEqual({
        LEDGER_TABLE_NAME: { Ref: stack.resolve((stack.ledger.table.node.defaultChild as any).logicalId) },
        ARTIFACTS_BUCKET_NAME: { Ref: stack.resolve((stack.artifacts.bucket.node.defaultChild as any).logicalId) },
        CODE_VERSION: '0.1.0',
        POWERTOOLS_SERVICE_NAME: 'backfill-orchestrator',
        POWERTOOLS_METRICS_NAMESPACE: 'BackfillOrchestrator',
        NODE_OPTIONS: '--enable-source-maps',
      });
    });

    it.each(named('AWS::Lambda::Function'))('%s logs to its own log group, which expires logs', (_name, id) => {
      const logGroup = (json.Resources[id].Properties as any).LoggingConfig.LogGroup;
      expect(logGroup).toEqual({ Ref: expect.any(String) });
      expect(json.Resources[logGroup.Ref].Properties?.RetentionInDays).toEqual(expect.any(Number));
    });
  });

  describe('state machine', () => {
    it('is STANDARD, logs ALL events with execution data, and is traced', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        StateMachineName: 'BackfillOrchestrator-backfill',
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }] },
        TracingConfiguration: { Enabled: true },
      });
    });

    it('logs to a vended-logs log group that expires logs', () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/vendedlogs/states/BackfillOrchestrator-backfill',
        RetentionInDays: Match.anyValue(),
      });
    });

    it('is created only after its role\'s policy exists (Step Functions checks log delivery rights at creation)', () => {
      const [, machine] = resourcesOfType('AWS::StepFunctions::StateMachine')[0];
      const roleId = (machine.Properties as any).RoleArn['Fn::GetAtt'][0];
      const [policyId] = resourcesOfType('AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }])) ?? [];
      expect(policyId).toBeDefined();
      expect(machine.DependsOn).toContain(policyId);
    });

    it('may be assumed by Step Functions on behalf of this account only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
        },
      });
    });
  });

  describe('outputs', () => {
    it('names the state machine, ledger and buckets for the CLI', () => {
      expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['ArtifactsBucketName', 'LedgerTableName', 'SourceBucketName', 'StateMachineArn']);
    });
  });
});
