import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BackfillStack, type BackfillStackProps } from '../../../infra/BackfillStack';
import { REPO_ROOT } from '../../../infra/paths';

/** The context in cdk.json (feature flags and default settings), so tests see what `cdk synth` sees. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

export interface SynthesizedBackfillStack {
  readonly stack: BackfillStack;
  readonly template: Template;
  /** The raw template JSON. */
  readonly json: TemplateJson;
}

export interface TemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: string[] }>;
}

/**
 * Builds the stack as app.ts does, with cdk.json's context, but without bundling the Lambda code
 * (`aws:cdk:bundling-stacks: []`) and without CDK's built-in CloudFormation Validate rules
 * (~15 s in jest; `cdk synth` runs them), so a test file synthesizes in about a second.
 */
export function synthBackfillStack(props: Partial<BackfillStackProps> = {}): SynthesizedBackfillStack {
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new BackfillStack(app, 'BackfillOrchestrator', { targetTableNames: ['order-summaries'], ...props });
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() as TemplateJson };
}
