import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../infra/definitions';
import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfEventRule } from '../../lambdas/handlers';
import { systemClock, type Clock } from '../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import type { WriteRateSettings } from '../../lambdas/lib/rate';
import type { BreakerThresholds } from '../../lambdas/lib/health';
import type { AlarmStateChangeEvent } from '../alarms/alarmStateChangeEvent';
import type { LocalAlarms as BreakerAlarms } from '../alarms/LocalAlarms';
import { operationsOutbox, type DeliveredOperationsMessage } from '../alarms/operationsOutbox';
import { startBreakerAlarms } from '../alarms/startBreakerAlarms';
import { startLocalApprovals, type LocalApprovals } from '../approvals/localApprovals';
import type { DeliveredApprovalMessage } from '../approvals/outboxNotifier';
import { approvalPageHandler } from '../approvals/approvalPageHandler';
import { withControlEndpoint } from '../approvals/controlEndpoint';
import { withDecisionEndpoint } from '../approvals/decisionEndpoint';
import { DEFAULT_RECORDS } from '../cli/options';
import { LOCAL_ACCOUNT, LOCAL_REGION, stateMachineArn } from '../engine/arns';
import type { EngineEvent, TaskTokens } from '../engine';
import { PortInUseError } from '../emulators';
import type { FaultSpec } from '../faults';
import { ensureDemoSeeded, type SeedMarker } from '../runtime/ensureDemoSeeded';
import { startLocalEnvironment, type LocalEnvironment } from '../runtime/LocalEnvironment';
import type { TaskHandlerWrapper } from '../runtime/localFunctions';
import { cloudPorts } from './cloudPorts';
import type { EndpointsFile } from './endpoints';
import { removeEndpointsFile, writeEndpointsFile } from './endpointsFile';
import { executionEndedRule } from './executionEndedRule';
import { localStateMachines, STATE_MACHINE_NAMES } from './localStateMachines';
import { stackBreakerThresholds } from './stackBreakerThresholds';
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
  /**
   * Each approval message the local outbox delivered (DIR/outbox/), with the approver's link: where
   * `local up` and `npm start` print `approval link (<approver>): <url>`.
   * @default - only the outbox file
   */
  readonly onApprovalMessage?: (message: DeliveredApprovalMessage) => void;
  /** Issues and times the task tokens of callback Tasks (tests pass manual timers to time an approval out). @default - a TaskTokens on real timers */
  readonly taskTokens?: TaskTokens;
  /** The workers' write-rate controller timing (e.g. seconds instead of tens of seconds in tests). @default - DEFAULT_AIMD_RULE */
  readonly writeRate?: WriteRateSettings;
  /**
   * Each operations message (the breaker opened, a run paused) the local operations topic delivered
   * to DIR/outbox/<time>-<seq>-operations.json: where `local up` and `npm start` print a line.
   * @default - only the outbox file
   */
  readonly onOperationsMessage?: (message: DeliveredOperationsMessage) => void;
  /** The thresholds of the breaker's alarms. @default - the stack's: cdk.json's context `breakerThresholds` over the defaults (stackBreakerThresholds) */
  readonly breakerThresholds?: BreakerThresholds;
  /** The stack's config file, whose context `breakerThresholds` the alarms use unless `breakerThresholds` is given. @default STACK_CONFIG_FILE (the repository's cdk.json) */
  readonly stackConfigFile?: string;
  /** Each state change of a breaker alarm, children and composite. @default - none */
  readonly onAlarmStateChange?: (event: AlarmStateChangeEvent) => void;
  /**
   * Inject these faults into the handlers' requests naming a target table, through a fault proxy in
   * front of DynamoDB (see startFaultProxy); its URL goes into endpoints.json as `dynamodbFaults`.
   * @default - no faults: the handlers talk to DynamoDB directly
   */
  readonly faults?: FaultSpec;
}

/** A running local cloud: the stack's services and resources on 127.0.0.1. */
export interface LocalCloud {
  readonly endpoints: EndpointsFile;
  /** DIR/endpoints.json, while it serves a data dir. */
  readonly endpointsFile?: string;
  readonly env: LocalEnvironment;
  readonly stepFunctions: StepFunctionsServer;
  /** The approval page on loopback and the outbox its links are delivered to. */
  readonly approvals: Pick<LocalApprovals, 'outboxDir' | 'server'>;
  /** The breaker's alarms, evaluated over the handlers' EMF while the cloud serves. */
  readonly alarms: BreakerAlarms;
  /** The demo dataset the data dir holds (seeded now or earlier), unless `demo: false`. */
  readonly demo?: { readonly seededNow: boolean; readonly marker: SeedMarker };
  /** Removes endpoints.json, stops the alarms, the approval page and the Step Functions API (running executions stay RUNNING, see its close), the emulators, then releases the data dir. */
  close(options?: { drainMs?: number }): Promise<void>;
}

const PORT_ADVICE = 'give another --port N (Step Functions on N, DynamoDB on N+1, S3 on N+2, the approval page on N+3), or --port 0 for ephemeral ports';

/** The handler the stack's rule invokes (lambdas/handlers.ts, `eventRule: 'execution-status-change'`), on this cloud's deps. */
function statusChangeHandler(deps: Deps): (event: ExecutionStatusChangeEvent) => Promise<unknown> {
  const handler = HANDLER_FACTORIES[handlerIdOfEventRule('execution-status-change')](deps);
  return (event) => handler(event, { awsRequestId: randomUUID() });
}

const withPortAdvice = (error: unknown): unknown => (error instanceof PortInUseError ? new PortInUseError(error.service, error.port, { cause: error, advice: PORT_ADVICE }) : error);

/**
 * Starts the stack's services on loopback for one data dir (or in memory): takes the data dir's
 * lock, starts DynamoDB and S3 with the stack's tables and buckets (infra/definitions), takes over
 * the batch leases of gone processes, seeds the demo dataset into a new data dir, and serves the
 * Step Functions API with the `Backfill` and `Rollback` state machines from statemachines/*.asl.json
 * on the real handler code, and the approval page (the approval-page handler behind a loopback
 * stand-in for its Function URL; messages to approvers go to the outbox, see startLocalApprovals);
 * executions it kept RUNNING start again (unless
 * `restartRunningExecutions: false`). The breaker's alarms evaluate the handlers' EMF as CloudWatch
 * would and deliver their composite's changes to the `breaker` handler (startBreakerAlarms); its
 * operations messages go to the outbox too (operationsOutbox). Executions that end ABORTED,
 * TIMED_OUT or FAILED reach the `execution-status-change` handler, as the stack's EventBridge rule
 * delivers them. With a data dir, writes DIR/endpoints.json last, so its presence means "serving".
 * @throws DataDirLockedError when another process uses the data dir
 * @throws DataDirUnusableError when the data dir cannot be used
 * @throws PortInUseError naming the port and service when one of the four ports is taken
 * @throws BackfillConfigError when the stack's config file sets invalid breakerThresholds (before anything starts)
 * @example
 *   const cloud = await startLocalCloud({ dataDir: '.backfill-local', port: 4570, codeVersion: '0.1.0' });
 *   // ... aws --endpoint-url cloud.endpoints.stepfunctions stepfunctions list-state-machines
 *   await cloud.close({ drainMs: 5000 });
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const ports = cloudPorts(options.port ?? 0);
  // Read before anything starts: a bad cdk.json changes nothing.
  const breakerThresholds = options.breakerThresholds ?? stackBreakerThresholds(options.stackConfigFile);
  const env = await startLocalEnvironment({ dataDir: options.dataDir, codeVersion: options.codeVersion, clock: options.clock, ports, ...(options.faults ? { faults: options.faults } : {}) }).catch((error: unknown) => {
    throw withPortAdvice(error);
  });
  let stepFunctions: StepFunctionsServer | undefined;
  let approvals: LocalApprovals | undefined;
  // The workers' write-rate controller steers their Map Runs through this API (ListMapRuns, UpdateMapRun), as on AWS.
  const sfn = new SFNClient({
    endpoint: async () => ({ url: new URL(stepFunctions!.endpoint) }),
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  let alarms: BreakerAlarms | undefined;
  try {
    const demo = options.demo === false ? undefined : await ensureDemoSeeded(env.clients, options.demo?.records ?? DEFAULT_RECORDS, { keepOtherSize: true });
    const backfillArn = stateMachineArn(STATE_MACHINE_NAMES.backfill);
    const rollbackArn = stateMachineArn(STATE_MACHINE_NAMES.rollback);
    const stateDir = options.dataDir === undefined ? undefined : join(options.dataDir, 'stepfunctions');
    if (stateDir) mkdirSync(stateDir, { recursive: true });
    // The page starts first (its URL goes into every link); its SFN client asks for the endpoint per call.
    approvals = await startLocalApprovals({
      dataDir: options.dataDir,
      port: ports.approvals,
      clock: options.clock ?? systemClock,
      stepFunctionsEndpoint: () => stepFunctions!.endpoint,
      pageHandler: (services) => {
        const served = { ...env.deps, approvals: services };
        return withControlEndpoint(withDecisionEndpoint(approvalPageHandler(served), served), served);
      },
      onDelivered: options.onApprovalMessage,
    }).catch((error: unknown) => {
      throw withPortAdvice(error);
    });
    const operations = operationsOutbox({ directory: approvals.outboxDir, clock: options.clock ?? systemClock, onDelivered: options.onOperationsMessage });
    const deps: Deps = { ...env.deps, clients: { ...env.deps.clients, sfn }, approvals: approvals.services, operations, ...(options.writeRate ? { writeRate: options.writeRate } : {}) };
    alarms = startBreakerAlarms({ deps, store: env.metrics, thresholds: breakerThresholds, onStateChange: options.onAlarmStateChange });
    stepFunctions = await startStepFunctionsServer({
      port: ports.stepfunctions,
      stateMachines: localStateMachines(deps, options.wrapTaskHandler),
      s3: env.clients.s3,
      stateDir,
      restartRunningExecutions: options.restartRunningExecutions,
      onExecutionStatusChange: executionEndedRule([backfillArn, rollbackArn], options.onExecutionEnded ?? statusChangeHandler(deps)),
      onEngineEvent: options.onEngineEvent,
      ...(options.taskTokens ? { taskTokens: options.taskTokens } : {}),
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new PortInUseError('Step Functions', ports.stepfunctions, { cause: error, advice: PORT_ADVICE }) : error;
    });
    const endpoints: EndpointsFile = {
      dynamodb: env.dynamodbEndpoint,
      ...(env.faultProxy ? { dynamodbFaults: env.faultProxy.endpoint } : {}),
      s3: env.s3Endpoint,
      stepfunctions: stepFunctions.endpoint,
      approvals: approvals.server.url,
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
    const page = approvals;
    const breakerAlarms = alarms;
    return {
      endpoints,
      endpointsFile,
      env,
      stepFunctions: server,
      approvals: page,
      alarms: breakerAlarms,
      demo,
      close: async (closeOptions) => {
        if (options.dataDir !== undefined) await removeEndpointsFile(options.dataDir);
        try {
          // The alarms first (an event in flight reaches the breaker, its message the outbox), then
          // the page: a decision in flight still reaches the Step Functions API.
          await breakerAlarms.close();
          await page.close(closeOptions);
          await server.close(closeOptions);
        } finally {
          sfn.destroy();
          await env.close();
        }
      },
    };
  } catch (error) {
    await alarms?.close().catch(() => undefined);
    await stepFunctions?.close().catch(() => undefined);
    await approvals?.close().catch(() => undefined);
    sfn.destroy();
    await env.close();
    throw error;
  }
}
