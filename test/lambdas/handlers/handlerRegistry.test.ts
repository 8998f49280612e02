import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { HANDLER_FACTORIES } from '../../../lambdas/handlerFactories';
import { HANDLER_IDS, HANDLERS, handlerIdOfEventRule, handlerIdOfFunctionUrl, handlerIdsOf, WORKFLOWS, type WorkflowName } from '../../../lambdas/handlers';

// The handler registry (lambdas/handlers.ts) is what the stack deploys, what the local runtime binds
// to the ASL and what these tests call: it must name every handler there is, exactly the ASL's
// placeholders, and entries whose bundles carry no CDK.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

describe('the handler registry', () => {
  it('names every lambdas/<id>/handler.ts, each by its folder', () => {
    const folders = fs.readdirSync(path.join(REPO_ROOT, 'lambdas')).filter((name) => fs.existsSync(path.join(REPO_ROOT, 'lambdas', name, 'handler.ts')));
    expect([...HANDLER_IDS].sort()).toEqual(folders.sort());
    expect(HANDLER_IDS.filter((id) => HANDLERS[id].entry !== `lambdas/${id}/handler.ts`)).toEqual([]);
  });

  it.each(HANDLER_IDS.map((id) => [id]))('binds %s to the createHandler its entry exports', (id) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entry = require(path.join(REPO_ROOT, HANDLERS[id].entry)) as { createHandler?: unknown; handler?: unknown };
    expect(HANDLER_FACTORIES[id]).toBe(entry.createHandler);
    expect(typeof entry.handler).toBe('function');
  });

  it('gives each handler its own construct id, and each workflow handler its own ASL placeholder', () => {
    expect(new Set(HANDLER_IDS.map((id) => HANDLERS[id].constructId)).size).toBe(HANDLER_IDS.length);
    const workflowIds = (Object.keys(WORKFLOWS) as WorkflowName[]).flatMap(handlerIdsOf);
    expect(new Set(workflowIds.map((id) => HANDLERS[id].aslPlaceholder)).size).toBe(workflowIds.length);
  });

  it('says of every handler what invokes it: a workflow\'s Task states, an EventBridge rule or a Function URL (and then no workflow)', () => {
    const workflowIds = (Object.keys(WORKFLOWS) as WorkflowName[]).flatMap(handlerIdsOf);
    const ruleIds = HANDLER_IDS.filter((id) => HANDLERS[id].eventRule !== undefined);
    const urlIds = HANDLER_IDS.filter((id) => HANDLERS[id].functionUrl !== undefined);
    expect([...workflowIds, ...ruleIds, ...urlIds].sort()).toEqual([...HANDLER_IDS].sort());
    expect(urlIds).toEqual(['approval-page', 'approval-decide', 'operator-control']);
    expect(handlerIdOfFunctionUrl('approvals-iam')).toBe('approval-decide');
    expect(handlerIdOfFunctionUrl('controls-iam')).toBe('operator-control');
    expect(HANDLERS['approval-page'].workflow).toBeUndefined();
    expect(HANDLERS['approval-page'].aslPlaceholder).toBeUndefined();
    expect(HANDLERS['approval-page'].eventRule).toBeUndefined();
    expect(handlerIdOfFunctionUrl('approvals')).toBe('approval-page');
    expect(ruleIds).toEqual(['execution-status-change', 'breaker']);
    expect(handlerIdOfEventRule('breaker-alarm')).toBe('breaker');
    expect(HANDLERS.breaker).toMatchObject({ constructId: 'Breaker', grants: ['ledger:items', 'ledger:query', 'operations:notify'] });
    expect(HANDLERS['execution-status-change']).toMatchObject({ constructId: 'ExecutionStatusChange', grants: ['ledger:items'] });
    expect(HANDLERS['execution-status-change'].workflow).toBeUndefined();
    expect(HANDLERS['execution-status-change'].aslPlaceholder).toBeUndefined();
    expect(handlerIdOfEventRule('execution-status-change')).toBe('execution-status-change');
  });

  it.each(Object.keys(WORKFLOWS).map((workflow) => [workflow as WorkflowName]))('lists exactly the function placeholders of the %s ASL', (workflow) => {
    const text = fs.readFileSync(path.join(REPO_ROOT, WORKFLOWS[workflow].definitionFile), 'utf8');
    const placeholders = new Set([...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!));
    placeholders.delete('ArtifactsBucket');
    // The rollback state machine a rejected run's RollbackCanary starts: a state machine, not a function.
    placeholders.delete('RollbackStateMachineArn');
    expect([...placeholders].sort()).toEqual(handlerIdsOf(workflow).map((id) => HANDLERS[id].aslPlaceholder).sort());
  });

  it('bundles each entry, as the stack does, without CDK, the CDK app, the local runtime or the registry', async () => {
    // GIVEN every entry bundled the way NodejsFunction bundles it (the AWS SDK is the runtime's)
    const result = await build({
      entryPoints: HANDLER_IDS.map((id) => path.join(REPO_ROOT, HANDLERS[id].entry)),
      bundle: true,
      platform: 'node',
      target: 'node22',
      external: ['@aws-sdk/*'],
      outdir: path.join(REPO_ROOT, 'cdk.out', 'registry-test'),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    // THEN no bundle holds a file of a CDK package, infra/, local/ or the registry files
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(50);
    const forbidden = /(^|\/)node_modules\/(aws-cdk-lib|constructs|cdk-nag)\/|^(infra|local)\/|^lambdas\/(handlers|handlerFactories)\.ts$/;
    expect(inputs.filter((input) => forbidden.test(input))).toEqual([]);
  });
});
