import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEDGER_TABLE } from '../../infra/definitions';
import { startOrResumeRun } from '../../lambdas/lib/ledger';
import { parseSpec, specHash } from '../../lambdas/lib/spec';
import { systemClock } from '../../lambdas/lib/runtime/Clock';
import { localS3ClientConfig } from '../../local/aws';
import { stackTarget, type AwsService } from '../../cli/target';
import { createTable, uniqueName, useEmulators } from '../support';
import { EXAMPLE_SPEC } from '../local/runtime/localRun';
import { runBackfill } from './support/cliHarness';
import { callerIdentityXml, describeStacksXml, queryErrorXml, startRecordingAwsServer, type CannedResponse, type RecordedRequest, type RecordingAwsServer } from './support/recordingAwsServer';

const TEST_CREDENTIALS = { accessKeyId: 'AKIDTESTCLI', secretAccessKey: 'secret' };
const OPERATOR_ARN = 'arn:aws:sts::123456789012:assumed-role/BackfillOperator/alice';

// CloudFormation and STS have no emulator: a recording server answers them and the tests assert the
// exact requests. DynamoDB and S3 are the emulators, named by the stack's outputs.
describe('--stack NAME: the target from CloudFormation outputs', () => {
  const env = useEmulators('dynalite');
  let aws: RecordingAwsServer;
  let answer: (request: RecordedRequest) => CannedResponse;
  let ledgerTable: string;
  const outputs = () => ({
    StateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:BackfillStateMachine',
    RollbackStateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:RollbackStateMachine',
    LedgerTableName: ledgerTable,
    ArtifactsBucketName: 'artifacts-from-outputs',
    SourceBucketName: 'source-from-outputs',
  });
  const overrides = (credentials: boolean) => (service: AwsService) => {
    const creds = credentials ? { credentials: TEST_CREDENTIALS } : {};
    if (service === 'cloudformation' || service === 'sts') return { endpoint: aws.endpoint, ...creds };
    if (service === 'dynamodb') return { endpoint: env().ddbEndpoint, ...creds };
    if (service === 's3') return { ...localS3ClientConfig(env().s3Endpoint), region: 'eu-west-1' };
    return { endpoint: 'http://127.0.0.1:1', ...creds };
  };

  beforeAll(async () => {
    aws = await startRecordingAwsServer((request) => answer(request));
    ledgerTable = await createTable(env().clients, uniqueName('ledger-from-outputs'), LEDGER_TABLE);
    const spec = parseSpec(EXAMPLE_SPEC);
    await startOrResumeRun(
      { clients: env().clients, ledgerTable, clock: systemClock, codeVersion: 'test' },
      { runId: 'stack-run-1', spec, specHash: specHash(spec) },
    );
  });
  afterAll(() => aws.close());
  beforeEach(() => {
    aws.requests.length = 0;
    answer = () => ({ status: 200, xml: describeStacksXml('Backfill', outputs()) });
  });

  it('reads the stack outputs with DescribeStacks and acts on the ledger they name', async () => {
    // WHEN runs are listed on the stack
    const result = await runBackfill(['list', '--stack', 'Backfill', '--region', 'eu-west-1', '--json'], { clientOverrides: overrides(true) });
    // THEN exactly one DescribeStacks for that stack was sent, signed for the region
    expect(aws.requests).toEqual([
      {
        method: 'POST',
        path: '/',
        contentType: 'application/x-www-form-urlencoded',
        authorization: expect.stringContaining('Credential=AKIDTESTCLI/') as unknown as string,
        form: { Action: 'DescribeStacks', Version: '2010-05-15', StackName: 'Backfill' },
      },
    ]);
    expect(aws.requests[0]!.authorization).toMatch(/\/eu-west-1\/cloudformation\/aws4_request/);
    // AND the run in the ledger table the outputs name is listed
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ runId: 'stack-run-1', status: 'RUNNING' })]);
  });

  it('approve signs its decision for the stack\'s ApprovalDecideUrl (service lambda, the region) and prints the outcome; AWS\'s 403 says what policy is missing (exit 3)', async () => {
    const decided = { runId: 'stack-run-1', approvalId: 'appr-1', approver: OPERATOR_ARN, outcome: 'pending', approvedBy: [OPERATOR_ARN], quorum: 2 };
    answer = (request) =>
      request.path === '/decisions' ? { status: 200, xml: JSON.stringify(decided) } : { status: 200, xml: describeStacksXml('Backfill', { ...outputs(), ApprovalDecideUrl: `${aws.endpoint}/` }) };
    const result = await runBackfill(['approve', 'stack-run-1', '--stack', 'Backfill', '--region', 'eu-west-1', '--comment', 'ok'], { clientOverrides: overrides(true) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`recorded: ${OPERATOR_ARN} approved approval appr-1 of run stack-run-1; approved by 1 of the 2 needed (${OPERATOR_ARN}): the run still waits for the others`);
    const request = aws.requests.find((r) => r.path === '/decisions')!;
    expect(request).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTCLI\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=/);
    answer = (r) => (r.path === '/decisions' ? { status: 403, xml: '{"Message":"Forbidden"}' } : { status: 200, xml: describeStacksXml('Backfill', { ...outputs(), ApprovalDecideUrl: `${aws.endpoint}/` }) });
    const denied = await runBackfill(['reject', 'stack-run-1', '--stack', 'Backfill', '--region', 'eu-west-1'], { clientOverrides: overrides(true) });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('answered 403 ({"Message":"Forbidden"}); AWS refused the signed request: the caller needs the stack\'s approver policy');
    answer = () => ({ status: 200, xml: describeStacksXml('Backfill', outputs()) });
    const older = await runBackfill(['approve', 'stack-run-1', '--stack', 'Backfill', '--region', 'eu-west-1'], { clientOverrides: overrides(true) });
    expect(older.code).toBe(3);
    expect(older.stderr).toContain('serves no decision endpoint for backfill approve / reject; it has no ApprovalDecideUrl output');
  });

  it('pause signs its action for the stack\'s ControlsUrl (service lambda, the region) and prints the outcome; AWS\'s 403 names the operator policy; an older stack without the output says so (exit 3)', async () => {
    const paused = { action: 'pause', runId: 'stack-run-1', by: OPERATOR_ARN, changed: true, from: 'RUNNING', status: 'PAUSING', released: false };
    const withControls = () => describeStacksXml('Backfill', { ...outputs(), ControlsUrl: `${aws.endpoint}/` });
    answer = (request) => (request.path === '/controls' ? { status: 200, xml: JSON.stringify(paused) } : { status: 200, xml: withControls() });
    const result = await runBackfill(['pause', 'stack-run-1', '--stack', 'Backfill', '--region', 'eu-west-1', '--reason', 'latency'], { clientOverrides: overrides(true) });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Pausing run stack-run-1 (was RUNNING)');
    const request = aws.requests.find((r) => r.path === '/controls')!;
    expect(request).toMatchObject({ method: 'POST', contentType: 'application/json' });
    expect(request.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTESTCLI\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=/);
    answer = (r) => (r.path === '/controls' ? { status: 403, xml: '{"Message":"Forbidden"}' } : { status: 200, xml: withControls() });
    const denied = await runBackfill(['abort', 'stack-run-1', '--stack', 'Backfill', '--region', 'eu-west-1', '--reason', 'x'], { clientOverrides: overrides(true) });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('AWS refused the signed request: the caller needs the stack\'s operator policy');
    answer = () => ({ status: 200, xml: describeStacksXml('Backfill', outputs()) });
    const older = await runBackfill(['breaker', 'open', '--stack', 'Backfill', '--region', 'eu-west-1', '--reason', 'x'], { clientOverrides: overrides(true) });
    expect(older.code).toBe(3);
    expect(older.stderr).toContain('serves no control endpoint for backfill pause / resume / abort / breaker; it has no ControlsUrl output');
  });

  it('names the caller with STS GetCallerIdentity', async () => {
    answer = (request) => ({ status: 200, xml: request.form.Action === 'GetCallerIdentity' ? callerIdentityXml(OPERATOR_ARN) : describeStacksXml('Backfill', outputs()) });
    const target = await stackTarget({ stack: 'Backfill', region: 'eu-west-1', overrides: overrides(true) });
    try {
      expect(await target.callerIdentity()).toBe(OPERATOR_ARN);
    } finally {
      target.close();
    }
    expect(aws.requests.map((r) => r.form)).toEqual([
      { Action: 'DescribeStacks', Version: '2010-05-15', StackName: 'Backfill' },
      { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    ]);
    expect(aws.requests[1]!.authorization).toMatch(/\/eu-west-1\/sts\/aws4_request/);
  });

  it('says so in one line when the region has no such stack (exit 3)', async () => {
    answer = () => ({ status: 400, xml: queryErrorXml('ValidationError', 'Stack with id Nope does not exist') });
    const result = await runBackfill(['list', '--stack', 'Nope', '--region', 'eu-west-1'], { clientOverrides: overrides(true) });
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: 'error: no CloudFormation stack Nope in eu-west-1; check --stack and --region (`aws cloudformation list-stacks --region eu-west-1`), or deploy it with `npm run synth` / `cdk deploy`',
    });
  });

  it('names the outputs a stack lacks', async () => {
    answer = () => ({ status: 200, xml: describeStacksXml('Other', { LedgerTableName: ledgerTable }) });
    const result = await runBackfill(['list', '--stack', 'Other', '--region', 'eu-west-1'], { clientOverrides: overrides(true) });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('error: stack Other has no output StateMachineArn, RollbackStateMachineArn, ArtifactsBucketName, SourceBucketName; is it a backfill stack? Deploy this version of it (`cdk deploy`)');
  });

  it('turns AccessDenied into one line saying what to ask for (exit 3)', async () => {
    answer = () => ({ status: 403, xml: queryErrorXml('AccessDenied', 'User: arn:aws:sts::123456789012:assumed-role/Viewer/bob is not authorized to perform: cloudformation:DescribeStacks') });
    const result = await runBackfill(['list', '--stack', 'Backfill', '--region', 'eu-west-1'], { clientOverrides: overrides(true) });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'error: AWS refused the call: User: arn:aws:sts::123456789012:assumed-role/Viewer/bob is not authorized to perform: cloudformation:DescribeStacks. Ask for the stack\'s operator policy (viewers can read, not start, stop or roll back), or use another --profile',
    );
  });

  describe('credentials from the environment', () => {
    const saved = { ...process.env };
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'backfill-aws-'));
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
      // Never ask the instance metadata service (no AWS here); read only these files.
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      process.env.AWS_CONFIG_FILE = join(home, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
    });
    afterEach(() => {
      for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
      Object.assign(process.env, saved);
    });

    it('says there are no credentials and how to give them (exit 3), sending nothing', async () => {
      const result = await runBackfill(['list', '--stack', 'Backfill', '--region', 'eu-west-1'], { clientOverrides: overrides(false) });
      expect(result.code).toBe(3);
      expect(result.stderr).toBe('error: no AWS credentials found: give --profile NAME, set AWS_PROFILE, or sign in (`aws sso login` / `aws configure`)');
      expect(aws.requests).toEqual([]);
    });

    it('signs with the --profile credentials and region', async () => {
      writeFileSync(join(home, 'config'), '[profile ops]\nregion = ap-southeast-2\n');
      writeFileSync(join(home, 'credentials'), '[ops]\naws_access_key_id = AKIDPROFILEOPS\naws_secret_access_key = s\n');
      const result = await runBackfill(['list', '--stack', 'Backfill', '--profile', 'ops', '--json'], { clientOverrides: overrides(false) });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(aws.requests[0]!.authorization).toMatch(/Credential=AKIDPROFILEOPS\/\d{8}\/ap-southeast-2\/cloudformation\/aws4_request/);
    });
  });
});
