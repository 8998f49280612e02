import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import { handlerIdsOf } from '../../lambdas/handlers';
import { manifestKey, rollbackManifestKey, stageManifestKey } from '../../lambdas/lib/artifacts';
import { aslFiles, collectDistributedMaps, collectResources, substitute } from './support/asl';
import { FAKE_ENV, isAllowed, permissionLines, resolveValue, rolePermissions, type Permission } from './support/iamPolicy';
import { synthBackfillStack } from './support/synthBackfillStack';

// The state machine is deployed from an ASL file, so CDK cannot derive its role: it is written by
// hand. This spec proves, for every statemachines/*.asl.json, that the role allows each resource
// the definition calls (after the stack's substitutions) and nothing else.

const { stack, json } = synthBackfillStack();
const { partition, region, account } = FAKE_ENV;
const resolved = (token: string) => resolveValue(json, stack.resolve(token));
const logicalId = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as any).logicalId) as string;

/** A construct that deploys one ASL file (a Workflow: backfill or rollback). */
interface DeployedDefinition extends IConstruct {
  readonly definitionFile: string;
  readonly role: iam.IRole;
  readonly stateMachine: sfn.IStateMachine;
  readonly invokedFunctions: readonly lambda.IFunction[];
}
const deployments = stack.node.findAll().filter((c): c is DeployedDefinition => 'definitionFile' in c && 'stateMachine' in c && 'role' in c);

const artifactsBucketName = resolved(stack.artifacts.bucket.bucketName);
const artifactsArn = resolved(stack.artifacts.bucket.bucketArn);

/**
 * Values that JSONPath fields resolve to at run time, for resources named by a path
 * (`"Bucket.$": "$.plan.manifestBucket"`). They are the Plan function's output contract: the
 * manifest lives in the artifacts bucket, at the key the artifacts module gives it.
 */
const RUNTIME_VALUES: Record<string, string> = {
  '$.plan.manifestBucket': artifactsBucketName,
  '$.plan.manifestKey': manifestKey({ runId: '2026-11-22-orders-fix', planHash: 'f'.repeat(64) }),
  // A rollout stage's slice of it, which Plan writes and NextStage hands on (also under manifests/).
  '$.next.stage.manifestKey': stageManifestKey({ runId: '2026-11-22-orders-fix', planHash: 'f'.repeat(64), stageName: 'canary' }),
  // LoadRollback's output contract: the rollback manifest, also under manifests/.
  '$.manifest.bucket': artifactsBucketName,
  '$.manifest.key': rollbackManifestKey({ runId: '2026-11-22-orders-fix', sha256: '0'.repeat(64) }),
};

const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];
/** The only actions that may be granted on Resource "*": AWS supports no resource-level permissions for them. */
const STAR_RESOURCE_ACTIONS = new Set([...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS]);

/** The rule Step Functions manages in the account to learn when an execution started `.sync` ends. */
const SYNC_EVENTS_RULE = `arn:${partition}:events:${region}:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;

/** What starting (and waiting for) another state machine `.sync:2` needs. */
const startsSync = (name: string): Permission[] => [
  { action: 'states:StartExecution', resource: `arn:${partition}:states:${region}:${account}:stateMachine:${name}` },
  ...['states:DescribeExecution', 'states:StopExecution'].map((action) => ({ action, resource: `arn:${partition}:states:${region}:${account}:execution:${name}:*` })),
  ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({ action, resource: SYNC_EVENTS_RULE })),
];

/** The exact allow-list of each state machine's role, per ASL file. */
const distributedMapWorkflow = (name: string, invoked: string[]): Permission[] => [
  ...invoked.map((resource) => ({ action: 'lambda:InvokeFunction', resource })),
  { action: 's3:GetObject', resource: `${artifactsArn}/manifests/*` },
  ...['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'].map((action) => ({ action, resource: `${artifactsArn}/map-results/*` })),
  { action: 'states:StartExecution', resource: `arn:${partition}:states:${region}:${account}:stateMachine:${name}` },
  { action: 'states:DescribeExecution', resource: `arn:${partition}:states:${region}:${account}:execution:${name}:*` },
  { action: 'states:StopExecution', resource: `arn:${partition}:states:${region}:${account}:execution:${name}:*` },
  { action: 'states:RedriveExecution', resource: `arn:${partition}:states:${region}:${account}:execution:${name}/*:*` },
  ...[...LOG_DELIVERY_ACTIONS, ...XRAY_ACTIONS].map((action) => ({ action, resource: '*' })),
];

const EXPECTED_ALLOW_LIST: Record<string, () => Permission[]> = {
  'rollback.asl.json': () =>
    distributedMapWorkflow(
      'BackfillOrchestrator-rollback',
      handlerIdsOf('rollback').map((fn) => resolved(stack.functions.functions[fn].functionArn)),
    ),
  'backfill.asl.json': () => [
    ...distributedMapWorkflow(
      'BackfillOrchestrator-backfill',
      handlerIdsOf('backfill').map((fn) => resolved(stack.functions.functions[fn].functionArn)),
    ),
    // RollbackCanary (onRejection: rollback-canary) starts the rollback and waits for it.
    ...startsSync('BackfillOrchestrator-rollback'),
  ],
};

/** One permission the definition needs, with a concrete resource ARN and the reason. */
interface Requirement {
  readonly why: string;
  readonly action: string;
  readonly resource: string;
}

/** Reads a Parameters field that is either static (`Bucket`) or a JSONPath (`Bucket.$`) with a known run-time value. */
function fieldValue(parameters: Record<string, unknown>, field: string, unknown: string[], where: string): string {
  if (typeof parameters[field] === 'string') return parameters[field] as string;
  const jsonPath = parameters[`${field}.$`];
  if (typeof jsonPath === 'string' && RUNTIME_VALUES[jsonPath] !== undefined) return RUNTIME_VALUES[jsonPath];
  unknown.push(`${where}: ${field} is ${JSON.stringify(jsonPath ?? parameters[field])}; add its run-time value to RUNTIME_VALUES`);
  return '<unknown>';
}

function requirementsOf(definition: any, stateMachineArn: string, machine: Record<string, any>): { requirements: Requirement[]; unknown: string[] } {
  const requirements: Requirement[] = [];
  const unknown: string[] = [];
  for (const r of collectResources(definition)) {
    const where = `${r.kind} of ${r.statePath}`;
    if (r.kind === 'Task' && /^arn:[^:]+:lambda:[^:]+:\d+:function:[^:]+$/.test(r.resource)) {
      requirements.push({ why: `Task ${r.statePath}`, action: 'lambda:InvokeFunction', resource: r.resource });
    } else if (r.kind === 'Task' && /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(r.resource)) {
      requirements.push({ why: `Task ${r.statePath}`, action: 'lambda:InvokeFunction', resource: fieldValue(r.parameters, 'FunctionName', unknown, where) });
    } else if (r.kind === 'Task' && /^arn:[^:]+:states:::states:startExecution\.sync:2$/.test(r.resource)) {
      const started = fieldValue(r.parameters, 'StateMachineArn', unknown, where);
      const execution = `${started.replace(':stateMachine:', ':execution:')}:7f3e-started`;
      requirements.push({ why: `Task ${r.statePath}`, action: 'states:StartExecution', resource: started });
      for (const action of ['states:DescribeExecution', 'states:StopExecution']) requirements.push({ why: `Task ${r.statePath} (.sync)`, action, resource: execution });
      for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) requirements.push({ why: `Task ${r.statePath} (.sync)`, action, resource: SYNC_EVENTS_RULE });
    } else if (r.kind === 'ItemReader' && r.resource.endsWith(':::s3:getObject')) {
      const object = `arn:${partition}:s3:::${fieldValue(r.parameters, 'Bucket', unknown, where)}/${fieldValue(r.parameters, 'Key', unknown, where)}`;
      requirements.push({ why: where, action: 's3:GetObject', resource: object });
    } else if (r.kind === 'ResultWriter' && r.resource.endsWith(':::s3:putObject')) {
      const object = `arn:${partition}:s3:::${fieldValue(r.parameters, 'Bucket', unknown, where)}/${fieldValue(r.parameters, 'Prefix', unknown, where)}/0b5d-map-run-id/SUCCEEDED_0.json`;
      for (const action of ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload']) requirements.push({ why: where, action, resource: object });
    } else {
      unknown.push(`${where}: no IAM rule for ${r.resource}; add one to this test and the grant to the role`);
    }
  }
  const name = stateMachineArn.split(':').pop();
  for (const map of collectDistributedMaps(definition)) {
    const why = `distributed Map ${map.statePath} (${map.executionType} children)`;
    requirements.push({ why, action: 'states:StartExecution', resource: stateMachineArn });
    const child = `arn:${partition}:states:${region}:${account}:execution:${name}:7f3e-child`;
    requirements.push({ why, action: 'states:DescribeExecution', resource: child }, { why, action: 'states:StopExecution', resource: child });
    requirements.push({ why: `redriving ${why}`, action: 'states:RedriveExecution', resource: `arn:${partition}:states:${region}:${account}:execution:${name}/ProcessBatches-label:7f3e-child` });
  }
  if (machine.LoggingConfiguration?.Level && machine.LoggingConfiguration.Level !== 'OFF') {
    for (const action of LOG_DELIVERY_ACTIONS) requirements.push({ why: `logging level ${machine.LoggingConfiguration.Level}`, action, resource: '*' });
  }
  if (machine.TracingConfiguration?.Enabled) {
    for (const action of XRAY_ACTIONS) requirements.push({ why: 'X-Ray tracing', action, resource: '*' });
  }
  return { requirements, unknown };
}

describe.each(aslFiles().map((file) => [path.basename(file), file]))('the role of the state machine deploying %s', (basename, file) => {
  const deployment = deployments.find((d) => d.definitionFile === file);

  it('exists: the stack deploys this ASL file', () => {
    expect(deployments.map((d) => path.basename(d.definitionFile))).toContain(basename);
  });
  if (!deployment) return;

  const machine = json.Resources[logicalId(deployment.stateMachine)].Properties as Record<string, any>;
  const permissions = rolePermissions(json, logicalId(deployment.role));
  const substitutions = Object.fromEntries(Object.entries(machine.DefinitionSubstitutions as Record<string, unknown>).map(([key, value]) => [key, resolveValue(json, value)]));
  const definition = JSON.parse(substitute(fs.readFileSync(file, 'utf8'), substitutions));
  const stateMachineArn = resolved(deployment.stateMachine.stateMachineArn);
  const { requirements, unknown } = requirementsOf(definition, stateMachineArn, machine);

  it('knows how to check every resource the definition names', () => {
    expect(unknown).toEqual([]);
  });

  it('invokes exactly the functions its construct deploys for it (the definition and the stack agree)', () => {
    const invoked = new Set(requirements.filter((r) => r.action === 'lambda:InvokeFunction').map((r) => r.resource));
    expect(deployment.invokedFunctions.length).toBeGreaterThan(0);
    expect([...invoked].sort()).toEqual(deployment.invokedFunctions.map((fn) => resolved(fn.functionArn)).sort());
  });

  it.each(requirements.map((r) => [r.why, r.action, r.resource]))('allows what %s needs: %s on %s', (_why, action, resource) => {
    expect(isAllowed(permissions, action, resource)).toBe(true);
  });

  it('grants no wildcard action', () => {
    expect(permissions.filter((p) => /[*?]/.test(p.action))).toEqual([]);
  });

  it('grants Resource "*" only for log delivery and X-Ray, which support no resource-level permissions', () => {
    expect(permissions.filter((p) => p.resource === '*' && !STAR_RESOURCE_ACTIONS.has(p.action))).toEqual([]);
  });

  it('grants nothing the definition does not need (every permission serves a requirement)', () => {
    const unneeded = permissions.filter((p) => !requirements.some((r) => isAllowed([p], r.action, r.resource)));
    expect(permissionLines(unneeded)).toEqual([]);
  });

  it('grants exactly the reviewed allow-list', () => {
    const expected = EXPECTED_ALLOW_LIST[basename];
    expect(expected).toBeDefined();
    expect(permissionLines(permissions)).toEqual(permissionLines(expected()));
  });

  it('gives each Lambda Task\'s function at least the Task\'s TimeoutSeconds', () => {
    const functionsByArn = new Map(
      Object.entries(json.Resources)
        .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
        .map(([id, r]) => [resolveValue(json, { 'Fn::GetAtt': [id, 'Arn'] }), r.Properties as Record<string, any>]),
    );
    const tasks = collectResources(definition).filter((r) => r.kind === 'Task' && functionsByArn.has(r.resource) && r.state.TimeoutSeconds !== undefined);
    expect(tasks.length).toBeGreaterThan(0);
    const tooShort = tasks
      .filter((task) => functionsByArn.get(task.resource)!.Timeout < (task.state.TimeoutSeconds as number))
      .map((task) => `${task.statePath}: Task TimeoutSeconds ${String(task.state.TimeoutSeconds)} > Lambda Timeout ${String(functionsByArn.get(task.resource)!.Timeout)}`);
    expect(tooShort).toEqual([]);
  });
});

describe('the backfill state machine role refuses', () => {
  const backfill = deployments.find((d) => path.basename(d.definitionFile) === 'backfill.asl.json')!;
  const permissions = rolePermissions(json, logicalId(backfill.role));
  const worker = resolved(stack.functions.functions.worker.functionArn);

  it.each([
    ['invoking a function outside the six', 'lambda:InvokeFunction', `arn:${partition}:lambda:${region}:${account}:function:SomeoneElses`],
    ['invoking a version or alias (the ASL names none)', 'lambda:InvokeFunction', `${worker}:live`],
    ['reading snapshots', 's3:GetObject', `${artifactsArn}/snapshots/run/batch-1/attempt-1.json`],
    ['writing manifests (only Plan does)', 's3:PutObject', `${artifactsArn}/manifests/run/manifest.jsonl`],
    ['reading another bucket', 's3:GetObject', `arn:${partition}:s3:::some-other-bucket/manifests/x`],
    ['starting another state machine', 'states:StartExecution', `arn:${partition}:states:${region}:${account}:stateMachine:Other`],
    ['touching the ledger', 'dynamodb:GetItem', resolved(stack.ledger.table.tableArn)],
  ])('%s', (_what, action, resource) => {
    expect(isAllowed(permissions, action, resource)).toBe(false);
  });
});

describe('the rollback state machine role refuses', () => {
  const rollback = deployments.find((d) => path.basename(d.definitionFile) === 'rollback.asl.json')!;
  const permissions = rolePermissions(json, logicalId(rollback.role));

  it.each([
    ['invoking a backfill function (a rollback never runs the forward workflow)', 'lambda:InvokeFunction', resolved(stack.functions.functions.worker.functionArn)],
    ['starting the backfill state machine', 'states:StartExecution', `arn:${partition}:states:${region}:${account}:stateMachine:BackfillOrchestrator-backfill`],
    ['reading snapshots (its workers do)', 's3:GetObject', `${artifactsArn}/snapshots/run/b0000001/attempt-1.jsonl`],
    ['writing manifests (only LoadRollback does)', 's3:PutObject', `${artifactsArn}/manifests/run/rollback-x.jsonl`],
    ['touching the ledger', 'dynamodb:UpdateItem', resolved(stack.ledger.table.tableArn)],
    ['deleting target items (only the rollback worker may)', 'dynamodb:DeleteItem', `arn:${partition}:dynamodb:${region}:${account}:table/order-summaries`],
  ])('%s', (_what, action, resource) => {
    expect(isAllowed(permissions, action, resource)).toBe(false);
  });
});
