import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { createHandler as createOperatorControl } from '../../../lambdas/operator-control/handler';
import type { ControlEvent } from '../../../lambdas/lib/control';
import { getRun, markRunPaused, requestPause, startOrResumeRun } from '../../../lambdas/lib/ledger';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { specHash } from '../../../lambdas/lib/spec';
import { startStepFunctionsServer, type StepFunctionsServer } from '../../../local/cloud/stepfunctions';
import type { AslDefinition } from '../../../local/engine';
import { createTestStore, useEmulators, waitFor } from '../../support';
import { specFor } from '../fixtures/specs';
import { arnOf, fn, localMachine, sfnClient } from '../../local/cloud/stepfunctions/fixtures';

const OPS = 'arn:aws:sts::123456789012:assumed-role/BackfillOperator/olga@example.com';
const AWAIT_OPERATOR_FN = fn('await-operator');

/** WaitForOperator as the contract has it: a waitForTaskToken Task whose handler stores the token on the paused run; its output is the operator's decision. */
const PAUSE_MACHINE: AslDefinition = {
  StartAt: 'WaitForOperator',
  States: {
    WaitForOperator: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: AWAIT_OPERATOR_FN, Payload: { action: 'await-operator', 'runId.$': '$.runId', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 600,
      ResultPath: '$.operator',
      End: true,
    },
  },
} as AslDefinition;

const iamEvent = (body: unknown): ControlEvent => ({
  rawPath: '/controls',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: { http: { method: 'POST' }, authorizer: { iam: { userArn: OPS } } },
});

// GIVEN a paused run whose workflow really waits (the local Step Functions server, a real task token)
describe('the operator control endpoint releases a really waiting WaitForOperator task', () => {
  const env = useEmulators('dynalite');
  let deps: Deps;
  let server: StepFunctionsServer;
  let sfn: SFNClient;
  let runs = 0;
  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    deps = (await createTestStore(env())).deps;
    server = await startStepFunctionsServer({
      stateMachines: [
        localMachine('Pause', PAUSE_MACHINE, {
          [AWAIT_OPERATOR_FN]: async (payload) => {
            const { runId, taskToken } = payload as { runId: string; taskToken: string };
            await markRunPaused(deps, runId, { taskToken });
            return {};
          },
        }),
      ],
      s3: env().clients.s3,
    });
    sfn = sfnClient(server);
  }, 60_000);
  afterAll(async () => {
    sfn.destroy();
    await server.close();
  });

  async function pausedExecution(): Promise<{ runId: string; executionArn: string }> {
    const runId = `released-run-${++runs}`;
    const spec = specFor('source-bucket', 'orders/');
    await startOrResumeRun(deps, { runId, spec, specHash: specHash(spec), startedBy: 'local:starter' });
    await requestPause(deps, runId, { by: OPS, reason: 'maintenance', trigger: 'operator' });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arnOf('Pause'), name: runId, input: JSON.stringify({ runId }) }));
    await waitFor(async () => (await getRun(deps, runId))?.status === 'PAUSED', { describe: 'the run to be PAUSED with its token' });
    return { runId, executionArn: executionArn! };
  }
  const control = (body: unknown) => createOperatorControl({ ...deps, approvals: { sfn } as NonNullable<Deps['approvals']> })(iamEvent(body), { awsRequestId: 'c-1' });
  const execution = (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn }));

  it.each([
    [{ action: 'resume', reason: 'all clear' }, { decision: 'resume', by: OPS, reason: 'all clear' }, 'RUNNING'],
    [{ action: 'abort', reason: 'give up', rollback: true }, { decision: 'rollback', by: OPS, reason: 'give up' }, 'ABORTING'],
  ])('%j: the workflow goes on with the decision as its task output', async (request, decision, status) => {
    const { runId, executionArn } = await pausedExecution();
    const response = await control({ ...request, runId });
    expect(JSON.parse(response.body)).toMatchObject({ released: true, from: 'PAUSED', status });
    await waitFor(async () => (await execution(executionArn)).status === 'SUCCEEDED', { describe: 'the execution to go on' });
    expect(JSON.parse((await execution(executionArn)).output!).operator).toEqual(decision);
    expect((await getRun(deps, runId))?.status).toBe(status);
  });
});
