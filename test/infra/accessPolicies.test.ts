import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Persona } from '../../infra/constructs';
import { FAKE_ENV, FAKE_STACK_ID, isAllowed, managedPolicyPermissions, permissionLines, resolveValue, type Permission } from './support/iamPolicy';
import { synthBackfillStack } from './support/synthBackfillStack';

// GIVEN the stack with one role per persona (accessControl: roles), so that policies and roles are both visible
const { stack, json, template } = synthBackfillStack({ accessControl: 'roles' });
const { partition, region, account } = FAKE_ENV;
const resolved = (token: string) => resolveValue(json, stack.resolve(token));
const logicalId = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
/** The unconditional permissions of a persona; its conditioned statements (the approver's Function URL invoke) are checked as written, below. */
const permissionsOf = (persona: Persona) => {
  const id = logicalId(stack.access.policies[persona]);
  const policy = json.Resources[id]!;
  const document = policy.Properties!.PolicyDocument as { Statement: { Condition?: unknown; Action: unknown }[] };
  const conditioned = document.Statement.filter((st) => st.Condition !== undefined);
  const unconditional = { ...json, Resources: { ...json.Resources, [id]: { ...policy, Properties: { ...policy.Properties, PolicyDocument: { ...document, Statement: document.Statement.filter((st) => st.Condition === undefined) } } } } };
  // The one Function URL a persona calls: the approver's decision endpoint, the operator's control endpoint.
  const urlFunction = persona === 'operator' ? stack.functions.functions['operator-control'] : stack.functions.functions['approval-decide'];
  const conditionedActions = conditioned.map((st) => ({ action: st.Action as string, resource: resolved(urlFunction.functionArn) }));
  return [...managedPolicyPermissions(unconditional, id), ...conditionedActions];
};

const states = (resource: string) => `arn:${partition}:states:${region}:${account}:${resource}`;
const BACKFILL = states('stateMachine:BackfillOrchestrator-backfill');
const ROLLBACK = states('stateMachine:BackfillOrchestrator-rollback');
const BACKFILL_EXECUTIONS = states('execution:BackfillOrchestrator-backfill:*');
const ROLLBACK_EXECUTIONS = states('execution:BackfillOrchestrator-rollback:*');
const A_RUN = states('execution:BackfillOrchestrator-backfill:orders-fix-2026-11-22');
const A_ROLLBACK = states('execution:BackfillOrchestrator-rollback:rollback-orders-fix');
const ledger = resolved(stack.ledger.table.tableArn);
const artifacts = resolved(stack.artifacts.bucket.bucketArn);
const targetTable = `arn:${partition}:dynamodb:${region}:${account}:table/order-summaries`;
const DECIDE_FUNCTION = resolved(stack.functions.functions['approval-decide'].functionArn);
const PAGE_FUNCTION = resolved(stack.functions.functions['approval-page'].functionArn);
const policyStatementsOf = (persona: Persona) =>
  (json.Resources[logicalId(stack.access.policies[persona])]!.Properties!.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] }).Statement;

const allow = (actions: string[], resources: string[]): Permission[] => actions.flatMap((action) => resources.map((resource) => ({ action, resource })));
const VIEW: Permission[] = [
  ...allow(['states:DescribeStateMachine', 'states:ListExecutions'], [BACKFILL, ROLLBACK]),
  ...allow(['states:DescribeExecution', 'states:GetExecutionHistory', 'states:ListMapRuns'], [BACKFILL_EXECUTIONS, ROLLBACK_EXECUTIONS]),
  ...allow(['states:DescribeMapRun'], [states('mapRun:BackfillOrchestrator-backfill/*'), states('mapRun:BackfillOrchestrator-rollback/*')]),
  ...allow(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], [ledger]),
  ...allow(['s3:GetObject'], [`${artifacts}/reports/*`]),
  ...allow(['cloudformation:DescribeStacks'], [FAKE_STACK_ID]),
];

describe('access policies', () => {
  describe('the viewer', () => {
    it('may describe and list executions and Map Runs, read their history, the ledger, the reports and the stack\'s outputs, nothing else', () => {
      expect(permissionLines(permissionsOf('viewer'))).toEqual(permissionLines(VIEW));
    });

    it.each([
      ['start a run', 'states:StartExecution', BACKFILL],
      ['start a rollback', 'states:StartExecution', ROLLBACK],
      ['stop a run', 'states:StopExecution', A_RUN],
      ['stop a rollback', 'states:StopExecution', A_ROLLBACK],
      ['redrive a run', 'states:RedriveExecution', A_RUN],
      ['answer an approval', 'states:SendTaskSuccess', BACKFILL],
      ['write the ledger', 'dynamodb:UpdateItem', ledger],
      ['read a snapshot (pre-images are data)', 's3:GetObject', `${artifacts}/snapshots/run-1/batch-1.jsonl`],
      ['read a target item', 'dynamodb:GetItem', targetTable],
    ])('may not %s', (_what, action, resource) => {
      expect(isAllowed(permissionsOf('viewer'), action, resource)).toBe(false);
    });
  });

  describe('the operator', () => {
    it('may do what a viewer may, start and stop runs and rollbacks, and read lineage (a target item, its snapshot, conflict lists)', () => {
      expect(permissionLines(permissionsOf('operator'))).toEqual(
        permissionLines([
          ...VIEW,
          ...allow(['states:StartExecution'], [BACKFILL, ROLLBACK]),
          ...allow(['states:StopExecution'], [BACKFILL_EXECUTIONS, ROLLBACK_EXECUTIONS]),
          ...allow(['dynamodb:DescribeTable', 'dynamodb:GetItem'], [targetTable]),
          ...allow(['s3:GetObject'], [`${artifacts}/snapshots/*`, `${artifacts}/rollbacks/*`]),
          // Through the control endpoint only (backfill pause / resume / abort / breaker): conditioned on the AWS_IAM URL.
          ...allow(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'], [resolved(stack.functions.functions['operator-control'].functionArn)]),
        ]),
      );
    });

    it.each([
      ['start a run', 'states:StartExecution', BACKFILL],
      ['start a rollback', 'states:StartExecution', ROLLBACK],
      ['stop a run', 'states:StopExecution', A_RUN],
      ['stop a rollback', 'states:StopExecution', A_ROLLBACK],
    ])('may %s', (_what, action, resource) => {
      expect(isAllowed(permissionsOf('operator'), action, resource)).toBe(true);
    });

    it.each([
      ['redrive a run (runs are resumed)', 'states:RedriveExecution', A_RUN],
      ['start another state machine', 'states:StartExecution', states('stateMachine:SomeoneElses')],
      ['write the ledger', 'dynamodb:PutItem', ledger],
      ['write a target item', 'dynamodb:PutItem', targetTable],
      ['delete a target item', 'dynamodb:DeleteItem', targetTable],
      ['overwrite a snapshot', 's3:PutObject', `${artifacts}/snapshots/run-1/batch-1.jsonl`],
      ['answer an approval', 'states:SendTaskSuccess', BACKFILL],
    ])('may not %s', (_what, action, resource) => {
      expect(isAllowed(permissionsOf('operator'), action, resource)).toBe(false);
    });
  });

  describe('the approver', () => {
    it('may call the decision endpoint (through its IAM-authenticated URL only), read a run\'s ledger records, the evidence and the stack\'s outputs, nothing else', () => {
      expect(permissionLines(permissionsOf('approver'))).toEqual(
        permissionLines([
          ...allow(['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction'], [DECIDE_FUNCTION]),
          ...allow(['dynamodb:GetItem', 'dynamodb:Query'], [ledger]),
          ...allow(['s3:GetObject'], [`${artifacts}/evidence/*`]),
          ...allow(['cloudformation:DescribeStacks'], [FAKE_STACK_ID]),
        ]),
      );
    });

    it('may invoke the decision function only through its AWS_IAM Function URL', () => {
      const statements = policyStatementsOf('approver').filter((st) => JSON.stringify(st.Action).includes('lambda:'));
      expect(statements).toEqual([
        expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } } }),
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } }),
      ]);
    });

    it('may read a stage\'s evidence, JSON and HTML (what an approver decides on)', () => {
      expect(isAllowed(permissionsOf('approver'), 's3:GetObject', `${artifacts}/evidence/run-1/canary.json`)).toBe(true);
      expect(isAllowed(permissionsOf('approver'), 's3:GetObject', `${artifacts}/evidence/run-1/canary.html`)).toBe(true);
    });

    it.each([
      ['scan the whole ledger (approving needs one run\'s records)', 'dynamodb:Scan', ledger],
      ['write the ledger', 'dynamodb:UpdateItem', ledger],
      ['start a run', 'states:StartExecution', BACKFILL],
      ['stop a run', 'states:StopExecution', A_RUN],
      ['answer a rollback\'s tasks', 'states:SendTaskSuccess', ROLLBACK],
      ['answer an approval task around the ledger (its quorum and approver checks)', 'states:SendTaskSuccess', BACKFILL],
      ['invoke the approval page function', 'lambda:InvokeFunction', PAGE_FUNCTION],
      ['read a snapshot (pre-images are data)', 's3:GetObject', `${artifacts}/snapshots/run-1/batch-1.jsonl`],
      ['read a report', 's3:GetObject', `${artifacts}/reports/run-1/report.json`],
    ])('may not %s', (_what, action, resource) => {
      expect(isAllowed(permissionsOf('approver'), action, resource)).toBe(false);
    });
  });

  it('gives no identity policy of the stack a wildcard data action, or a data action on Resource "*"', () => {
    // GIVEN every Allow statement of every identity policy: managed, attached and inline
    const documents = Object.entries(json.Resources).flatMap(([id, resource]) => {
      const properties = resource.Properties ?? {};
      if (resource.Type === 'AWS::IAM::ManagedPolicy' || resource.Type === 'AWS::IAM::Policy') return [[id, properties.PolicyDocument] as const];
      if (resource.Type === 'AWS::IAM::Role') return ((properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => [id, p.PolicyDocument] as const);
      return [];
    });
    const statements = documents.flatMap(([id, document]) =>
      (document as { Statement: { Effect: string; Action: unknown; Resource: unknown }[] }).Statement.filter((s) => s.Effect === 'Allow').map((s) => ({ id, ...s })),
    );
    const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
    const isDataAction = (action: string) => /^(dynamodb|s3|states|sqs|lambda|kms):/.test(action) || action === '*';
    // WHEN
    const wildcardActions = statements.flatMap((s) => list(s.Action).filter((a: string) => a === '*' || /^[a-z0-9-]+:\*$/.test(a)).map((a: string) => `${s.id}: ${a}`));
    const dataOnStar = statements.filter((s) => list(s.Resource).includes('*')).flatMap((s) => list(s.Action).filter(isDataAction).map((a: string) => `${s.id}: ${a} on *`));
    // THEN
    expect(statements.length).toBeGreaterThan(20);
    expect(wildcardActions).toEqual([]);
    expect(dataOnStar).toEqual([]);
  });

  it.each([
    ['operator', 'OperatorRole'],
    ['viewer', 'ViewerRole'],
    ['approver', 'ApproverRole'],
  ] as const)('creates a %s role that principals of this account may assume, holding only its policy', (persona, _id) => {
    const role = json.Resources[logicalId(stack.access.roles![persona])]!.Properties!;
    expect(role.ManagedPolicyArns).toEqual([{ Ref: logicalId(stack.access.policies[persona]) }]);
    expect(role.Policies).toBeUndefined();
    expect(role.AssumeRolePolicyDocument).toEqual({
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } } }],
      Version: '2012-10-17',
    });
  });

  it.each([
    ['OperatorPolicyArn', () => ({ Ref: logicalId(stack.access.policies.operator) })],
    ['ViewerPolicyArn', () => ({ Ref: logicalId(stack.access.policies.viewer) })],
    ['ApproverPolicyArn', () => ({ Ref: logicalId(stack.access.policies.approver) })],
    ['OperatorRoleArn', () => ({ 'Fn::GetAtt': [logicalId(stack.access.roles!.operator), 'Arn'] })],
    ['ViewerRoleArn', () => ({ 'Fn::GetAtt': [logicalId(stack.access.roles!.viewer), 'Arn'] })],
    ['ApproverRoleArn', () => ({ 'Fn::GetAtt': [logicalId(stack.access.roles!.approver), 'Arn'] })],
  ])('outputs %s', (output, value) => {
    template.hasOutput(output, { Value: value() });
  });
});
