import { randomUUID } from 'node:crypto';
import { HANDLER_FACTORIES } from '../../../lambdas/handlerFactories';
import { startStepFunctionsServer, type LocalStateMachine, type StepFunctionsServer } from '../../../local/cloud/stepfunctions';
import { loadDefinition } from '../../../local/engine';
import { ensureDemoSeeded } from '../../../local/runtime/ensureDemoSeeded';
import { localFunctions } from '../../../local/runtime/localFunctions';
import { startLocalEnvironment, type LocalEnvironment } from '../../../local/runtime/LocalEnvironment';
import { BACKFILL_ASL } from '../../../local/runtime/runBackfillLocally';
import { ROLLBACK_ASL } from '../../../local/runtime/runRollbackLocally';
import { localCloudDir } from './cliHarness';

/** The emulators, the local Step Functions API over both workflows, and a data dir naming them. */
export interface InProcessLocalCloud {
  readonly env: LocalEnvironment;
  readonly server: StepFunctionsServer;
  /** A data dir whose endpoints.json names this cloud: give it to `--local`. */
  readonly dir: string;
  close(): Promise<void>;
}

function machine(name: 'Backfill' | 'Rollback', env: LocalEnvironment): LocalStateMachine {
  const { substitutions, taskHandlers } = localFunctions(name === 'Backfill' ? 'backfill' : 'rollback', env.deps);
  const definition = loadDefinition(name === 'Backfill' ? BACKFILL_ASL : ROLLBACK_ASL, substitutions);
  return { name, definition, definitionText: JSON.stringify(definition), taskHandlers, roleArn: 'arn:aws:iam::000000000000:role/local-states' };
}

/**
 * What `backfill local up` serves, in this process (in memory): dynalite, s3rver and the Step
 * Functions API with the real ASL and handlers, the demo seeded with `records`, and each execution's
 * ABORTED / TIMED_OUT / FAILED delivered to the execution-status-change handler as EventBridge would.
 */
export async function startInProcessLocalCloud(records: number): Promise<InProcessLocalCloud> {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const env = await startLocalEnvironment({ codeVersion: 'test' });
  try {
    await ensureDemoSeeded(env.clients, records);
    const statusChange = HANDLER_FACTORIES['execution-status-change'](env.deps);
    const server = await startStepFunctionsServer({
      stateMachines: [machine('Backfill', env), machine('Rollback', env)],
      s3: env.clients.s3,
      onExecutionStatusChange: async (event) => {
        if (['ABORTED', 'TIMED_OUT', 'FAILED'].includes(event.detail.status)) await statusChange(event, { awsRequestId: randomUUID() });
      },
    });
    const dir = localCloudDir({ dynamodb: env.dynamodbEndpoint, s3: env.s3Endpoint, stepfunctions: server.endpoint });
    return {
      env,
      server,
      dir,
      close: async () => {
        await server.close({ drainMs: 2000 });
        await env.close();
      },
    };
  } catch (error) {
    await env.close();
    throw error;
  }
}
