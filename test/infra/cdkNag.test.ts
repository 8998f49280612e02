import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleSchedules } from './support/exampleSchedules';
import { synthBackfillStack } from './support/synthBackfillStack';

// The stack passes the AWS Solutions checks that infra/app.ts adds to `cdk synth`. (CDK's
// built-in CloudFormation Validate rules also run at `cdk synth`, as errors per cdk.json; they
// take ~15 s inside jest, so tests leave them to synth.)
// Everything optional is on: an extra source bucket, the demo table, schedules, persona roles.
const { stack } = synthBackfillStack({ extraSourceBucketNames: ['partner-exports'], createDemoTargetTable: true, schedules: exampleSchedules(), accessControl: 'roles' });

describe('AWS Solutions checks (cdk-nag)', () => {
  it('report no unacknowledged violation', () => {
    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);
    // THEN
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });
});
