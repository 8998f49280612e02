import { AwsSolutionsChecks } from 'cdk-nag';
import { cdkJsonContext, synthBackfillStack, type SynthesizedBackfillStack } from './support/synthBackfillStack';

// The stack passes the policy checks `cdk synth` runs: AWS Solutions (cdk-nag, added in
// infra/app.ts) and CDK's built-in CloudFormation Validate rules.

let synthesized: SynthesizedBackfillStack;
beforeAll(() => {
  // CloudFormation Validate runs inside synthesis and throws on a finding (see below).
  synthesized = synthBackfillStack({}, { cloudFormationValidation: true });
});

describe('policy checks', () => {
  it('treats CloudFormation Validate findings as synthesis errors (cdk.json)', () => {
    expect(cdkJsonContext()['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  });

  it('synthesizes with CloudFormation Validate on', () => {
    expect(synthesized.template.toJSON().Resources).toBeDefined();
  });

  it('has no unacknowledged AWS Solutions (cdk-nag) violation', () => {
    const report = new AwsSolutionsChecks().validateScope(synthesized.stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
