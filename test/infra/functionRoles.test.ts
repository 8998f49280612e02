import { BACKFILL_FUNCTION_NAMES, type BackfillFunctionName } from '../../infra/constructs';
import { FAKE_ENV, isAllowed, permissionLines, resolveValue, rolePermissions, type Permission } from './support/iamPolicy';
import { synthBackfillStack } from './support/synthBackfillStack';

// Each Lambda function has its own hand-written role. This spec pins, per function, exactly
// what it may do, with an extra source bucket configured so the per-bucket grants are visible.

const { stack, json } = synthBackfillStack({ extraSourceBucketNames: ['partner-exports'] });
const { partition, region, account } = FAKE_ENV;
const resolved = (token: string) => resolveValue(json, stack.resolve(token));
const logicalId = (token: string) => stack.resolve(token) as string;

const functionResource = (name: BackfillFunctionName) => {
  const fn = stack.functions.functions[name];
  return json.Resources[logicalId((fn.node.defaultChild as any).logicalId)].Properties as Record<string, any>;
};
const roleOf = (name: BackfillFunctionName) => functionResource(name).Role['Fn::GetAtt'][0] as string;
const logGroupArnOf = (name: BackfillFunctionName) => resolveValue(json, { 'Fn::GetAtt': [functionResource(name).LoggingConfig.LogGroup.Ref, 'Arn'] });

const ledger = resolved(stack.ledger.table.tableArn);
const artifacts = resolved(stack.artifacts.bucket.bucketArn);
const sourceBuckets = [resolved(stack.sources.bucket.bucketArn), `arn:${partition}:s3:::partner-exports`];
const targetTable = `arn:${partition}:dynamodb:${region}:${account}:table/order-summaries`;

const allow = (actions: string[], resources: string[]): Permission[] => actions.flatMap((action) => resources.map((resource) => ({ action, resource })));
const LEDGER_ITEMS = allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [ledger]);

/** What each function's handler does, and so all its role allows (besides its own logs and X-Ray). */
const EXPECTED: Record<BackfillFunctionName, Permission[]> = {
  // Parses the execution input only.
  'validate-spec': [],
  // Creates or resumes the run record.
  'start-run': LEDGER_ITEMS,
  // Lists and reads the source, writes the manifest, pins the plan hash.
  plan: [
    ...allow(['s3:ListBucket'], sourceBuckets),
    ...allow(['s3:GetObject'], sourceBuckets.map((b) => `${b}/*`)),
    ...allow(['s3:PutObject'], [`${artifacts}/manifests/*`]),
    ...LEDGER_ITEMS,
  ],
  // Reads its source lines, snapshots and quarantines, claims and completes batches, writes targets.
  worker: [
    ...allow(['s3:GetObject'], sourceBuckets.map((b) => `${b}/*`)),
    ...allow(['s3:GetObject', 's3:PutObject'], [`${artifacts}/snapshots/*`, `${artifacts}/quarantine/*`]),
    ...LEDGER_ITEMS,
    ...allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [targetTable]),
  ],
  // Queries the run's batch records, writes the report, marks the run.
  finalize: [...allow(['dynamodb:Query'], [ledger]), ...LEDGER_ITEMS, ...allow(['s3:PutObject'], [`${artifacts}/reports/*`])],
  // Records the failure on the run record.
  'mark-run-failed': LEDGER_ITEMS,
};

describe.each(BACKFILL_FUNCTION_NAMES.map((name) => [name]))('the %s function role', (name) => {
  const permissions = rolePermissions(json, roleOf(name));

  it('allows exactly what the handler needs, plus writing its own log group and X-Ray traces', () => {
    const own = [...allow(['logs:CreateLogStream', 'logs:PutLogEvents'], [logGroupArnOf(name)]), ...allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*'])];
    expect(permissionLines(permissions)).toEqual(permissionLines([...own, ...EXPECTED[name]]));
  });

  it('is assumable by Lambda only', () => {
    expect(json.Resources[roleOf(name)].Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
    });
  });

  it('cannot write another function\'s log group', () => {
    const others = BACKFILL_FUNCTION_NAMES.filter((other) => other !== name);
    expect(others.filter((other) => isAllowed(permissions, 'logs:PutLogEvents', logGroupArnOf(other).replace(/\*$/, 'log-stream:x')))).toEqual([]);
  });
});

describe('least privilege across functions', () => {
  const holders = (action: string, resource: string) => BACKFILL_FUNCTION_NAMES.filter((name) => isAllowed(rolePermissions(json, roleOf(name)), action, resource));

  it('lets only the worker write target tables', () => {
    expect(holders('dynamodb:PutItem', targetTable)).toEqual(['worker']);
  });

  it('lets only plan write manifests and only finalize write reports', () => {
    expect(holders('s3:PutObject', `${artifacts}/manifests/run-1/manifest.jsonl`)).toEqual(['plan']);
    expect(holders('s3:PutObject', `${artifacts}/reports/run-1/report.json`)).toEqual(['finalize']);
  });

  it('lets no function delete anything', () => {
    for (const [action, resource] of [
      ['dynamodb:DeleteItem', ledger],
      ['dynamodb:DeleteItem', targetTable],
      ['s3:DeleteObject', `${artifacts}/snapshots/run-1/b-1/attempt-1.jsonl`],
    ]) {
      expect(holders(action, resource)).toEqual([]);
    }
  });

  it('lets no function write to a source bucket', () => {
    expect(sourceBuckets.flatMap((b) => holders('s3:PutObject', `${b}/orders/part-0.jsonl`))).toEqual([]);
  });
});
