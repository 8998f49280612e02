import fs from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { FAKE_ENV, isAllowed, resolveValue, rolePermissions } from './support/iamPolicy';
import { synthBackfillStack } from './support/synthBackfillStack';

// The backfill may start the rollback state machine and wait for it (`startExecution.sync:2`,
// onRejection: rollback-canary) exactly when its definition names ${RollbackStateMachineArn}.
// GIVEN the stack synthesized twice: once from a backfill definition with a planted Task that
// starts the rollback, once from one without any.
type Definition = { States: Record<string, unknown> };
const readFileSync = fs.readFileSync;
const PLANTED = {
  Type: 'Task',
  Resource: 'arn:aws:states:::states:startExecution.sync:2',
  Parameters: { StateMachineArn: '${RollbackStateMachineArn}', 'Input.$': '$.rollbackInput' },
  End: true,
};
function synthWithBackfillDefinition(edit: (definition: Definition) => void) {
  const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
    const text = readFileSync(file, options as BufferEncoding) as string | Buffer;
    if (typeof file !== 'string' || !file.endsWith('backfill.asl.json') || typeof text !== 'string') return text;
    const definition = JSON.parse(text) as { States: Record<string, unknown> };
    edit(definition);
    return JSON.stringify(definition);
  }) as typeof fs.readFileSync);
  try {
    return synthBackfillStack();
  } finally {
    spy.mockRestore();
  }
}
const { partition, region, account } = FAKE_ENV;
const states = (resource: string) => `arn:${partition}:states:${region}:${account}:${resource}`;
const SYNC_RULE = `arn:${partition}:events:${region}:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;

function plantRollback(definition: Definition): void {
  definition.States.PlantedRollback = PLANTED;
}
function removeRollbacks(definition: Definition): void {
  definition.States = Object.fromEntries(Object.entries(definition.States).filter(([, state]) => !JSON.stringify(state).includes('${RollbackStateMachineArn}')));
}

describe.each([
  ['names the rollback state machine', true, plantRollback],
  ['does not name it', false, removeRollbacks],
] as const)('a backfill definition that %s', (_what, names, edit) => {
  const { stack, json } = synthWithBackfillDefinition(edit);
  const logicalId = (construct: IConstruct) => stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
  const permissions = rolePermissions(json, logicalId(stack.backfill.role));
  const substitutions = (json.Resources[logicalId(stack.backfill.stateMachine)].Properties as { DefinitionSubstitutions: Record<string, unknown> }).DefinitionSubstitutions;

  it(names ? 'gets the rollback state machine\'s ARN substituted' : 'gets no rollback ARN substituted', () => {
    if (names) expect(substitutions.RollbackStateMachineArn).toEqual({ Ref: logicalId(stack.rollback.stateMachine) });
    else expect(substitutions).not.toHaveProperty('RollbackStateMachineArn');
  });

  it.each([
    ['start the rollback state machine', 'states:StartExecution', states('stateMachine:BackfillOrchestrator-rollback')],
    ['watch the rollback it started', 'states:DescribeExecution', states('execution:BackfillOrchestrator-rollback:rollback-run-1')],
    ['stop the rollback it started (when the run is stopped)', 'states:StopExecution', states('execution:BackfillOrchestrator-rollback:rollback-run-1')],
    ['put the .sync events rule', 'events:PutRule', SYNC_RULE],
    ['put the .sync events rule\'s targets', 'events:PutTargets', SYNC_RULE],
    ['describe the .sync events rule', 'events:DescribeRule', SYNC_RULE],
  ])(`${names ? 'may' : 'may not'} %s`, (_action, action, resource) => {
    expect(isAllowed(permissions, action, resource)).toBe(names);
  });

  it('may not touch another events rule, or executions of another state machine', () => {
    expect(isAllowed(permissions, 'events:PutRule', `arn:${partition}:events:${region}:${account}:rule/SomeoneElses`)).toBe(false);
    expect(isAllowed(permissions, 'states:StopExecution', states('execution:SomeoneElses:x'))).toBe(false);
    expect(isAllowed(permissions, 'states:StartExecution', states('stateMachine:SomeoneElses'))).toBe(false);
  });

  it('passes the AWS Solutions checks (the wildcard on the started executions is acknowledged with its reason)', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('resolves every substitution (the ARN is a reference, the rollback is created first)', () => {
    for (const value of Object.values(substitutions)) expect(() => resolveValue(json, value)).not.toThrow();
  });
});
