import { HANDLER_IDS, type HandlerId } from '../../lambdas/handlers';
import { FAKE_ENV, isAllowed, permissionLines, resolveValue, rolePermissions, type Permission } from './support/iamPolicy';
import { synthBackfillStack } from './support/synthBackfillStack';

// Each Lambda function has its own hand-written role. This spec pins, per function, exactly
// what it may do, with an extra source bucket configured so the per-bucket grants are visible.

const { stack, json } = synthBackfillStack({ extraSourceBucketNames: ['partner-exports'] });
const { partition, region, account } = FAKE_ENV;
const resolved = (token: string) => resolveValue(json, stack.resolve(token));
const logicalId = (token: string) => stack.resolve(token) as string;

type FunctionName = HandlerId;
/** Every function of the stack: the backfill workflow's and the rollback workflow's (every row of the handler registry). */
const FUNCTION_NAMES: readonly FunctionName[] = HANDLER_IDS;

const functionResource = (name: FunctionName) => {
  const fn = stack.functions.functions[name];
  return json.Resources[logicalId((fn.node.defaultChild as any).logicalId)].Properties as Record<string, any>;
};
const roleOf = (name: FunctionName) => functionResource(name).Role['Fn::GetAtt'][0] as string;
const logGroupArnOf = (name: FunctionName) => resolveValue(json, { 'Fn::GetAtt': [functionResource(name).LoggingConfig.LogGroup.Ref, 'Arn'] });

const ledger = resolved(stack.ledger.table.tableArn);
const artifacts = resolved(stack.artifacts.bucket.bucketArn);
const sourceBuckets = [resolved(stack.sources.bucket.bucketArn), `arn:${partition}:s3:::partner-exports`];
const targetTable = `arn:${partition}:dynamodb:${region}:${account}:table/order-summaries`;

const allow = (actions: string[], resources: string[]): Permission[] => actions.flatMap((action) => resources.map((resource) => ({ action, resource })));
const LEDGER_ITEMS = allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [ledger]);
const LEDGER_QUERY = allow(['dynamodb:Query'], [ledger]);
const OPERATIONS_NOTIFY = [...allow(['sns:Publish'], [resolved(stack.operations.topic.topicArn)]), ...allow(['kms:GenerateDataKey', 'kms:Decrypt'], [resolved(stack.operations.topicKey.keyArn)])];
const NOTIFY = [...allow(['sns:Publish'], [resolved(stack.approvals.topic.topicArn)]), ...allow(['kms:GenerateDataKey', 'kms:Decrypt'], [resolved(stack.approvals.topicKey.keyArn)])];
const SIGNING_KEY = allow(['secretsmanager:GetSecretValue'], [resolved(stack.approvals.signingKey.secretArn)]);
// The backfill state machine only (its approval tasks), by the ARN its fixed name gives.
const TASK_RESULT = allow(['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], [`arn:${partition}:states:${region}:${account}:stateMachine:BackfillOrchestrator-backfill`]);

/** What each function's handler does, and so all its role allows (besides its own logs and X-Ray). */
const EXPECTED: Record<FunctionName, Permission[]> = {
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
    // The write-rate controller: finds the running Map Run of its execution and sets its MaxConcurrency.
    ...allow(['states:ListMapRuns'], [`arn:${partition}:states:${region}:${account}:execution:BackfillOrchestrator-backfill:*`]),
    ...allow(['states:UpdateMapRun'], [`arn:${partition}:states:${region}:${account}:mapRun:BackfillOrchestrator-backfill/*:*`]),
  ],
  // Reads the stage's batch records, the manifest, source ranges, snapshots and the golden file; writes the evidence.
  'validate-stage': [
    ...allow(['s3:GetObject'], sourceBuckets.map((b) => `${b}/*`)),
    ...allow(['s3:GetObject'], [`${artifacts}/manifests/*`, `${artifacts}/snapshots/*`]),
    ...allow(['s3:PutObject'], [`${artifacts}/evidence/*`]),
    ...LEDGER_ITEMS,
    ...LEDGER_QUERY,
  ],
  // Queries the run's batch records, writes the report, marks the run.
  finalize: [...allow(['dynamodb:Query'], [ledger]), ...LEDGER_ITEMS, ...allow(['s3:PutObject'], [`${artifacts}/reports/*`])],
  // Reads the run's batch records to name the failed ones; records the failure on the run record.
  'mark-run-failed': [...allow(['dynamodb:Query'], [ledger]), ...LEDGER_ITEMS],
  // Reads the run and the breaker, queries the map's batch records, moves the run by its pause, abort or policy; tells the operators a run is PAUSED.
  'check-gate': [...LEDGER_ITEMS, ...LEDGER_QUERY, ...OPERATIONS_NOTIFY],
  // Reads the stage's approval, expires it on a timeout, marks the run REJECTED.
  'reject-run': [...LEDGER_ITEMS, ...LEDGER_QUERY],
  // Reads the run and its batch records, moves it to ROLLING_BACK, writes the rollback manifest.
  'rollback-load': [...LEDGER_ITEMS, ...LEDGER_QUERY, ...allow(['s3:PutObject'], [`${artifacts}/manifests/*`])],
  // Claims and completes rollback records, reads snapshots, restores or deletes target items, writes conflict lists.
  'rollback-worker': [
    ...LEDGER_ITEMS,
    ...allow(['s3:GetObject'], [`${artifacts}/snapshots/*`]),
    ...allow(['s3:PutObject'], [`${artifacts}/rollbacks/*`]),
    ...allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], [targetTable]),
  ],
  // Checks the rollback records and manifest, gathers conflicts (or rehearsal results), writes the report, marks the run.
  'rollback-finish': [
    ...LEDGER_ITEMS,
    ...LEDGER_QUERY,
    ...allow(['s3:GetObject'], [`${artifacts}/manifests/*`, `${artifacts}/rollbacks/*`, `${artifacts}/map-results/*`]),
    ...allow(['s3:PutObject'], [`${artifacts}/rollbacks/*`, `${artifacts}/reports/*`]),
  ],
  // Records the rollback's failure on the run record.
  'rollback-mark-failed': LEDGER_ITEMS,
  // Marks the run of a stopped, timed-out or failed execution (invoked by an EventBridge rule).
  'execution-status-change': LEDGER_ITEMS,
  // Reads and writes the breaker record and its audit trail; tells the operators (the operations topic).
  breaker: [...LEDGER_ITEMS, ...LEDGER_QUERY, ...OPERATIONS_NOTIFY],
  // Reads and moves the run's stage records, reads the stage's approval.
  stages: [...LEDGER_ITEMS, ...LEDGER_QUERY],
  // Reads the stage records, stores the approval, publishes one signed link per approver (encrypted topic), answers a decided approval's task at once.
  'request-approval': [...LEDGER_ITEMS, ...LEDGER_QUERY, ...NOTIFY, ...SIGNING_KEY, ...TASK_RESULT],
  // Verifies links, renders the stage's evidence and records decisions, then releases or fails the waiting task; publishes nothing.
  'approval-page': [...LEDGER_ITEMS, ...allow(['s3:GetObject'], [`${artifacts}/evidence/*`]), ...SIGNING_KEY, ...TASK_RESULT],
  // Finds the run's open approval, records the IAM caller's decision, releases or fails the waiting task; no signing key, no evidence, no topic.
  'approval-decide': [...LEDGER_ITEMS, ...LEDGER_QUERY, ...TASK_RESULT],
  // Moves the run (pause, resume, abort) and the breaker in the ledger; releases a paused run's waiting task.
  'operator-control': [...LEDGER_ITEMS, ...LEDGER_QUERY, ...TASK_RESULT],
};

describe.each(FUNCTION_NAMES.map((name) => [name]))('the %s function role', (name) => {
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
    const others = FUNCTION_NAMES.filter((other) => other !== name);
    expect(others.filter((other) => isAllowed(permissions, 'logs:PutLogEvents', logGroupArnOf(other).replace(/\*$/, 'log-stream:x')))).toEqual([]);
  });
});

describe('least privilege across functions', () => {
  const holders = (action: string, resource: string) => FUNCTION_NAMES.filter((name) => isAllowed(rolePermissions(json, roleOf(name)), action, resource));

  it('lets only the backfill worker and the rollback worker write target tables', () => {
    expect(holders('dynamodb:PutItem', targetTable)).toEqual(['worker', 'rollback-worker']);
    expect(holders('dynamodb:UpdateItem', targetTable)).toEqual(['worker']);
  });

  it('lets only plan and rollback-load write manifests, and only finalize and rollback-finish write reports', () => {
    expect(holders('s3:PutObject', `${artifacts}/manifests/run-1/manifest.jsonl`)).toEqual(['plan', 'rollback-load']);
    expect(holders('s3:PutObject', `${artifacts}/reports/run-1/report.json`)).toEqual(['finalize', 'rollback-finish']);
  });

  it('lets only the backfill worker write snapshots, and no function replace a snapshot from the rollback', () => {
    expect(holders('s3:PutObject', `${artifacts}/snapshots/run-1/b0000001/attempt-1.jsonl`)).toEqual(['worker']);
    expect(holders('s3:GetObject', `${artifacts}/snapshots/run-1/b0000001/attempt-1.jsonl`)).toEqual(['worker', 'validate-stage', 'rollback-worker']);
  });

  it('lets only the rollback worker delete, and only target items (those the rolled-back run created)', () => {
    expect(holders('dynamodb:DeleteItem', targetTable)).toEqual(['rollback-worker']);
    for (const [action, resource] of [
      ['dynamodb:DeleteItem', ledger],
      ['s3:DeleteObject', `${artifacts}/snapshots/run-1/b-1/attempt-1.jsonl`],
      ['s3:DeleteObject', `${artifacts}/rollbacks/run-1/conflicts.jsonl`],
    ]) {
      expect(holders(action, resource)).toEqual([]);
    }
  });

  it('lets only request-approval publish approval links, only it and the approval page read the signing key, and only those, the decision endpoint and the operator controls answer a task', () => {
    expect(holders('sns:Publish', resolved(stack.approvals.topic.topicArn))).toEqual(['request-approval']);
    expect(holders('kms:GenerateDataKey', resolved(stack.approvals.topicKey.keyArn))).toEqual(['request-approval']);
    expect(holders('secretsmanager:GetSecretValue', resolved(stack.approvals.signingKey.secretArn))).toEqual(['request-approval', 'approval-page']);
    expect(holders('states:SendTaskSuccess', resolved(stack.backfill.stateMachine.stateMachineArn))).toEqual(['request-approval', 'approval-page', 'approval-decide', 'operator-control']);
    expect(holders('states:SendTaskFailure', resolved(stack.rollback.stateMachine.stateMachineArn))).toEqual([]);
  });

  it('lets no function write to a source bucket', () => {
    expect(sourceBuckets.flatMap((b) => holders('s3:PutObject', `${b}/orders/part-0.jsonl`))).toEqual([]);
  });
});
