import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getRun } from '../../lambdas/lib/ledger';
import { localS3ClientConfig } from '../../local/aws';
import { LOCAL_REGION } from '../../local/engine/arns';
import { EXIT } from '../../cli/errors';
import type { AwsService } from '../../cli/target';
import { waitFor } from '../support';
import { runBackfill } from './support/cliHarness';
import { startInProcessLocalCloud, type InProcessLocalCloud } from './support/inProcessLocalCloud';
import { callerIdentityXml, describeStacksXml, startRecordingAwsServer, type RecordingAwsServer } from './support/recordingAwsServer';

const OPERATOR_ARN = 'arn:aws:sts::123456789012:assumed-role/BackfillOperator/alice';

// GIVEN a "stack" whose outputs name the local cloud's resources: Step Functions, DynamoDB and S3
// are the local cloud (AWS's own APIs), CloudFormation and STS a recording server (no emulator).
describe('--stack: operating a run as on AWS, the caller named by STS', () => {
  let cloud: InProcessLocalCloud;
  let aws: RecordingAwsServer;
  /** The ledger table the stack's outputs name (a test names one that does not exist). */
  let ledgerOutput: string | undefined;
  beforeAll(async () => {
    cloud = await startInProcessLocalCloud(2000);
    const { resources } = JSON.parse(readFileSync(join(cloud.dir, 'endpoints.json'), 'utf8')) as { resources: Record<string, string> };
    aws = await startRecordingAwsServer((request) => ({
      status: 200,
      xml:
        request.form.Action === 'GetCallerIdentity'
          ? callerIdentityXml(OPERATOR_ARN)
          : describeStacksXml('Backfill', {
              StateMachineArn: resources.backfillStateMachineArn!,
              RollbackStateMachineArn: resources.rollbackStateMachineArn!,
              LedgerTableName: ledgerOutput ?? resources.ledgerTable!,
              ArtifactsBucketName: resources.artifactsBucket!,
              SourceBucketName: resources.sourceBucket!,
            }),
    }));
  });
  afterAll(async () => {
    await aws?.close();
    await cloud?.close();
  });
  const credentials = { accessKeyId: 'AKIDTESTCLI', secretAccessKey: 'secret' };
  const overrides = (service: AwsService) => {
    if (service === 'cloudformation' || service === 'sts') return { endpoint: aws.endpoint, credentials };
    if (service === 'dynamodb') return { endpoint: cloud.env.dynamodbEndpoint, credentials };
    if (service === 's3') return { ...localS3ClientConfig(cloud.env.s3Endpoint) };
    return { endpoint: cloud.server.endpoint, credentials };
  };
  const cli = (...argv: string[]) => runBackfill([...argv, '--stack', 'Backfill', '--region', LOCAL_REGION], { clientOverrides: overrides });

  it('start records the STS caller as startedBy; stop records it as stoppedBy', async () => {
    const started = await cli('start', '--spec', 'examples/orders-spec.json', '--name', 'stack-run-1');
    expect(started.stderr).toBe('');
    expect(started.stdout.split('\n')).toContain(`  started by ${OPERATOR_ARN}`);
    expect(started.stdout.split('\n')).toContain('  watch it   backfill watch stack-run-1 --stack Backfill --region us-east-1');
    await waitFor(async () => (await getRun(cloud.env.deps, 'stack-run-1'))?.status === 'RUNNING', { describe: 'the run to be RUNNING', timeoutMs: 20_000 });
    expect(aws.requests.filter((r) => r.form.Action === 'GetCallerIdentity')).toHaveLength(1);
    const stopped = await cli('stop', 'stack-run-1', '--reason', 'maintenance window over');
    expect(stopped.code).toBe(0);
    expect(await getRun(cloud.env.deps, 'stack-run-1')).toMatchObject({ status: 'STOPPED', startedBy: OPERATOR_ARN, stoppedBy: OPERATOR_ARN, stopReason: 'maintenance window over' });
    expect((await cli('watch', 'stack-run-1')).code).toBe(EXIT.stopped);
  });

  it('a stack whose ledger table is gone is one line with what to check (ResourceNotFoundException, exit 3)', async () => {
    ledgerOutput = 'ledger-deleted-by-hand';
    try {
      const gone = await cli('status', 'stack-run-1');
      expect(gone.code).toBe(EXIT.target);
      expect(gone.stderr).toMatch(/^error: ResourceNotFoundException: .*\. The target does not have what its outputs name: check --stack\/--region \(or --local DIR\), and that the stack is deployed$/);
    } finally {
      ledgerOutput = undefined;
    }
  });
});
