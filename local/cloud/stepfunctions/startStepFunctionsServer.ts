import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { TaskTokens } from '../../engine';
import { serveAwsJson } from './http/serveAwsJson';
import { OPERATIONS } from './operations';
import { Executions } from './runtime/Executions';
import { InFlight } from './runtime/InFlight';
import { MapRunRegistry } from './runtime/MapRunRegistry';
import { StateMachines } from './runtime/StateMachines';
import { StatusChangeNotifier } from './runtime/StatusChangeNotifier';
import { memoryOnlyStore } from './store/ExecutionStore';
import { FileExecutionStore } from './store/FileExecutionStore';
import type { StepFunctionsServer, StepFunctionsServerOptions } from './types';

const DEFAULT_DRAIN_MS = 5_000;

/**
 * Serves the Step Functions API (AWS JSON 1.0) on 127.0.0.1 for the given state machines, running
 * each execution on the local engine. With a `stateDir`, executions outlive the process: closing
 * status-change events a killed process owed are delivered first, then those found RUNNING start
 * again from their first state, recorded as `ExecutionRedriven` (unless
 * `restartRunningExecutions: false`: then they stay RUNNING, untouched).
 *
 * @example
 *   const server = await startStepFunctionsServer({ stateMachines: [backfill], s3, stateDir: '.backfill-local/stepfunctions' });
 *   const sfn = new SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 *   const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(spec) }));
 *   console.log((await server.waitForExecution(executionArn)).status);
 *   await server.close();
 */
export async function startStepFunctionsServer(options: StepFunctionsServerOptions): Promise<StepFunctionsServer> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const nowMs = () => Date.now();
  const inFlight = new InFlight();
  const mapRuns = new MapRunRegistry();
  const taskTokens = options.taskTokens ?? new TaskTokens();
  const machines = new StateMachines(options.stateMachines, nowMs());
  const executions: Executions = new Executions(
    {
      store: options.stateDir ? new FileExecutionStore(options.stateDir) : memoryOnlyStore,
      nowMs,
      notifier: new StatusChangeNotifier(options.onExecutionStatusChange, inFlight, nowMs, log),
      mapRuns,
      inFlight,
      s3: options.s3,
      taskTokens,
      onEngineEvent: options.onEngineEvent,
      log,
      // startExecution.sync Tasks start this server's own executions (read only once one runs).
      nestedExecutions: { run: (request) => executions.nested.run(request) },
    },
    machines,
  );
  const server = serveAwsJson(OPERATIONS, { machines, executions, mapRuns, taskTokens }, log);
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await executions.restoreKept(options.restartRunningExecutions ?? true);
  } catch (error) {
    // A state dir that cannot be read: nothing was started, so nothing must keep listening.
    executions.abandonAll();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    waitForExecution: async (executionArn) => executions.get(executionArn).whenClosed(),
    close: async ({ drainMs = DEFAULT_DRAIN_MS } = {}) => {
      executions.abandonAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.settled(drainMs);
      server.closeAllConnections();
      await closed;
    },
  };
}
