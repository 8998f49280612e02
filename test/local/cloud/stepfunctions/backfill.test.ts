import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { getRun } from '../../../../lambdas/lib/ledger';
import type { RunReport } from '../../../../lambdas/lib/run';
import { startStepFunctionsServer } from '../../../../local/cloud/stepfunctions';
import { loadDefinition } from '../../../../local/engine';
import { localFunctions } from '../../../../local/runtime/localFunctions';
import { BACKFILL_ASL } from '../../../../local/runtime/runBackfillLocally';
import { exampleSpec, useSeededEnvironments } from '../../runtime/localRun';
import { arnOf, describeWhenClosed, ROLE_ARN, sfnClient } from './fixtures';

jest.setTimeout(300_000);

describe('a real backfill through the local Step Functions API', () => {
  const seeded = useSeededEnvironments();

  it('runs statemachines/backfill.asl.json with the real handlers to SUCCEEDED, started and watched with the SDK', async () => {
    // GIVEN the demo dataset and the backfill state machine served over the API
    const { env } = await seeded(600);
    const { substitutions, taskHandlers } = localFunctions('backfill', env.deps);
    const definition = loadDefinition(BACKFILL_ASL, substitutions);
    const server = await startStepFunctionsServer({
      stateMachines: [{ name: 'Backfill', definition, definitionText: JSON.stringify(definition), taskHandlers, roleArn: ROLE_ARN }],
      s3: env.clients.s3,
    });
    const sfn = sfnClient(server);
    try {
      // WHEN the example spec is started through StartExecution
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Backfill'), name: 'api-run', input: JSON.stringify(exampleSpec()) }));
      // THEN it succeeds with the run report, and the ledger says so
      const described = await describeWhenClosed(sfn, executionArn!, 240_000);
      expect([described.status, described.error, described.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
      const report = JSON.parse(described.output!) as RunReport;
      expect(report.counts.read).toBe(600);
      expect((await getRun(env.deps, 'api-run'))?.status).toBe('SUCCEEDED');
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
      expect([history[0].type, history.at(-1)!.type]).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).name).toBe('api-run');
    } finally {
      sfn.destroy();
      await server.close();
    }
  });
});
