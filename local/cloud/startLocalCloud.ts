import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../infra/definitions';
import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfEventRule } from '../../lambdas/handlers';
import type { Clock } from '../../lambdas/lib/runtime/Clock';
import { DEFAULT_RECORDS } from '../cli/options';
import { LOCAL_ACCOUNT, LOCAL_REGION, stateMachineArn } from '../engine/arns';
import type { EngineEvent } from '../engine';
import { PortInUseError } from '../emulators';
import { ensureDemoSeeded, type SeedMarker } from '../runtime/ensureDemoSeeded';
import { startLocalEnvironment, type LocalEnvironment } from '../runtime/LocalEnvironment';
import type { TaskHandlerWrapper } from '../runtime/localFunctions';
import { cloudPorts } from './cloudPorts';
import type { EndpointsFile } from './endpoints';
import { removeEndpointsFile, writeEndpointsFile } from './endpointsFile';
import { executionEndedRule } from './executionEndedRule';
import { localStateMachines, STATE_MACHINE_NAMES } from './localStateMachines';
import { startStepFunctionsServer, type ExecutionStatusChangeEvent, type StepFunctionsServer } from './stepfunctions';

export interface LocalCloudOptions {
  /** Keep every service's state here (dynamodb/, s3/, stepfunctions/); one process at a time. @default - in memory, discarded on close */
  readonly dataDir?: string;
  /** Step Functions on this port, DynamoDB on +1, S3 on +2 (see cloudPorts). @default 0 - three ephemeral ports */
  readonly port?: number;
  /** Seed the demo dataset (this many records) when the data dir holds none yet; `false` skips it. @default { records: 20000 } */
  readonly demo?: false | { readonly records: number };
  readonly codeVersion: string;
  readonly clock?: Clock;
  /** Wraps each function's handler (e.g. to know the calls in flight). @default - the handlers as they are */
  readonly wrapTaskHandler?: TaskHandlerWrapper;
  /** The engine's Map Run progress events of each execution (an in-process progress view). */
  readonly onEngineEvent?: (executionArn: string, event: EngineEvent) => void;
  /**
   * What the stack's EventBridge rule invokes for an execution that ended ABORTED, TIMED_OUT or FAILED.
   * @default - the registry's `execution-status-change` handler on this cloud's deps
   */
  readonly onExecutionEnded?: (event: ExecutionStatusChangeEvent) => Promise<unknown>;
  /**
   * Start again the executions the data dir keeps RUNNING (their process was killed or closed).
   * `false` leaves them RUNNING on disk, untouched (see StepFunctionsServerOptions): for a process
   * that must not run a killed backfill beside its own work, such as a rollback of its run.
   * @default true - as `backfill local up` must
   */
  readonly restartRunningExecutions?: boolean;
}

/** A running local cloud: the stack's services and resources on 127.0.0.1. */
export interface LocalCloud {
  readonly endpoints: EndpointsFile;
  /** DIR/endpoints.json, while it serves a data dir. */
  readonly endpointsFile?: string;
  readonly env: LocalEnvironment;
  readonly stepFunctions: StepFunctionsServer;
  /** The demo dataset the data dir holds (seeded now or earlier), unless `demo: false`. */
  readonly demo?: { readonly seededNow: boolean; readonly marker: SeedMarker };
  /** Removes endpoints.json, stops the Step Functions API (running executions stay RUNNING, see its close), the emulators, then releases the data dir. */
  close(options?: { drainMs?: number }): Promise<void>;
}

const PORT_ADVICE = 'give another --port N (Step Functions on N, DynamoDB on N+1, S3 on N+2), or --port 0 for ephemeral ports';

/** The handler the stack's rule invokes (lambdas/handlers.ts, `eventRule: 'execution-status-change'`), on this cloud's deps. */
function statusChangeHandler(env: LocalEnvironment): (event: ExecutionStatusChangeEvent) => Promise<unknown> {
  const handler = HANDLER_FACTORIES[handlerIdOfEventRule('execution-status-change')](env.deps);
  return (event) => handler(event, { awsRequestId: randomUUID() });
}

const withPortAdvice = (error: unknown): unknown => (error instanceof PortInUseError ? new PortInUseError(error.service, error.port, { cause: error, advice: PORT_ADVICE }) : error);

/**
 * Starts the stack's services on loopback for one data dir (or in memory): takes the data dir's
 * lock, starts DynamoDB and S3 with the stack's tables and buckets (infra/definitions), takes over
 * the batch leases of gone processes, seeds the demo dataset into a new data dir, and serves the
 * Step Functions API with the `Backfill` and `Rollback` state machines from statemachines/*.asl.json
 * on the real handler code; executions it kept RUNNING start again (unless
 * `restartRunningExecutions: false`). Executions that end ABORTED,
 * TIMED_OUT or FAILED reach the `execution-status-change` handler, as the stack's EventBridge rule
 * delivers them. With a data dir, writes DIR/endpoints.json last, so its presence means "serving".
 * @throws DataDirLockedError when another process uses the data dir
 * @throws DataDirUnusableError when the data dir cannot be used
 * @throws PortInUseError naming the port and service when one of the three ports is taken
 * @example
 *   const cloud = await startLocalCloud({ dataDir: '.backfill-local', port: 4570, codeVersion: '0.1.0' });
 *   // ... aws --endpoint-url cloud.endpoints.stepfunctions stepfunctions list-state-machines
 *   await cloud.close({ drainMs: 5000 });
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const ports = cloudPorts(options.port ?? 0);
  const env = await startLocalEnvironment({ dataDir: options.dataDir, codeVersion: options.codeVersion, clock: options.clock, ports }).catch((error: unknown) => {
    throw withPortAdvice(error);
  });
  let stepFunctions: StepFunctionsServer | undefined;
  try {
    const demo = options.demo === false ? undefined : await ensureDemoSeeded(env.clients, options.demo?.records ?? DEFAULT_RECORDS, { keepOtherSize: true });
    const backfillArn = stateMachineArn(STATE_MACHINE_NAMES.backfill);
    const rollbackArn = stateMachineArn(STATE_MACHINE_NAMES.rollback);
    const stateDir = options.dataDir === undefined ? undefined : join(options.dataDir, 'stepfunctions');
    if (stateDir) mkdirSync(stateDir, { recursive: true });
    stepFunctions = await startStepFunctionsServer({
      port: ports.stepfunctions,
      stateMachines: localStateMachines(env.deps, options.wrapTaskHandler),
      s3: env.clients.s3,
      stateDir,
      restartRunningExecutions: options.restartRunningExecutions,
      onExecutionStatusChange: executionEndedRule([backfillArn, rollbackArn], options.onExecutionEnded ?? statusChangeHandler(env)),
      onEngineEvent: options.onEngineEvent,
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new PortInUseError('Step Functions', ports.stepfunctions, { cause: error, advice: PORT_ADVICE }) : error;
    });
    const endpoints: EndpointsFile = {
      dynamodb: env.dynamodbEndpoint,
      s3: env.s3Endpoint,
      stepfunctions: stepFunctions.endpoint,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      resources: {
        backfillStateMachineArn: backfillArn,
        rollbackStateMachineArn: rollbackArn,
        ledgerTable: LOCAL_NAMES.ledgerTable,
        artifactsBucket: LOCAL_NAMES.artifactsBucket,
        sourceBucket: LOCAL_NAMES.sourceBucket,
      },
      pid: process.pid,
    };
    const endpointsFile = options.dataDir === undefined ? undefined : await writeEndpointsFile(options.dataDir, endpoints);
    const server = stepFunctions;
    return {
      endpoints,
      endpointsFile,
      env,
      stepFunctions: server,
      demo,
      close: async (closeOptions) => {
        if (options.dataDir !== undefined) await removeEndpointsFile(options.dataDir);
        try {
          await server.close(closeOptions);
        } finally {
          await env.close();
        }
      },
    };
  } catch (error) {
    await stepFunctions?.close().catch(() => undefined);
    await env.close();
    throw error;
  }
}
