import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BackfillStack } from './BackfillStack';
import { readBackfillConfig } from './config';

// Settings come from cdk.json context or `-c key=value` (see infra/config.ts).
const app = new App();
new BackfillStack(app, 'BackfillOrchestrator', {
  ...readBackfillConfig(app.node),
  description: 'Backfill orchestrator: safe, resumable, reversible recomputes of derived DynamoDB data',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
