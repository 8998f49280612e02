import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { EndpointsFile } from '../../local/cloud/endpoints';
import { readEndpointsFile } from '../../local/cloud/endpointsFile';
import type { ChildProcesses, RunningProcess } from './ChildProcesses';

/** The local cloud accepts any credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
/** How often start-up is checked: the figure's resolution. */
const POLL_MS = 20;
/** A start-up slower than this is a failure, not a figure. */
const STARTUP_DEADLINE_MS = 180_000;
/** How long `local up` may take to stop after SIGTERM (it gives handler calls 5 s). */
const STOP_DEADLINE_MS = 30_000;

export const BACKFILL_BIN = 'bin/backfill';

/** A `bin/backfill local up` that serves, and how long it took to. */
export interface LocalUpProcess {
  readonly dataDir: string;
  readonly endpoints: EndpointsFile;
  /** From spawn to DIR/endpoints.json written and its Step Functions endpoint answering. */
  readonly startupMs: number;
  /** SIGTERM, then waits for the process to exit. @throws Error when it does not exit 0 in time. */
  stop(): Promise<void>;
}

async function answers(endpoints: EndpointsFile): Promise<boolean> {
  const sfn = new SFNClient({ endpoint: endpoints.stepfunctions, region: endpoints.region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  try {
    await sfn.send(new ListStateMachinesCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    sfn.destroy();
  }
}

async function stopped(cloud: RunningProcess, dataDir: string): Promise<void> {
  cloud.child.kill('SIGTERM');
  const ended = await Promise.race([cloud.done, sleep(STOP_DEADLINE_MS).then(() => undefined)]);
  if (!ended) throw new Error(`local up on ${dataDir} did not stop within ${STOP_DEADLINE_MS / 1000} s of SIGTERM`);
  if (ended.code !== 0) throw new Error(`local up on ${dataDir} exited ${ended.code ?? ended.signal} on SIGTERM: ${ended.stderr.trim().slice(-2000)}`);
}

/**
 * Spawns `bin/backfill local up --data-dir DIR --port 0` and waits until it serves: endpoints.json
 * written and a ListStateMachines answered on its Step Functions URL.
 * @throws Error with local up's stderr when it exits first or is not serving within 180 s
 * @example
 *   const cloud = await startLocalUp(processes, dir); // cloud.startupMs === 4300
 *   await cloud.stop();
 */
export async function startLocalUp(processes: ChildProcesses, dataDir: string): Promise<LocalUpProcess> {
  const started = performance.now();
  const cloud = processes.spawn(BACKFILL_BIN, ['local', 'up', '--data-dir', dataDir, '--port', '0']);
  for (;;) {
    if (cloud.child.exitCode !== null || cloud.child.signalCode !== null) {
      const ended = await cloud.done;
      throw new Error(`local up on ${dataDir} exited ${ended.code ?? ended.signal} before serving: ${ended.stderr.trim().slice(-2000)}`);
    }
    // Written whole (temp file, then rename): absent until the cloud serves.
    const endpoints = await readEndpointsFile(dataDir);
    if (endpoints && (await answers(endpoints))) {
      const startupMs = performance.now() - started;
      return { dataDir, endpoints, startupMs, stop: () => stopped(cloud, dataDir) };
    }
    if (performance.now() - started > STARTUP_DEADLINE_MS) {
      cloud.child.kill('SIGKILL');
      throw new Error(`local up on ${dataDir} was not serving after ${STARTUP_DEADLINE_MS / 1000} s: ${cloud.stderrSoFar().trim().slice(-2000)}`);
    }
    await sleep(POLL_MS);
  }
}
