import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_TARGET_TABLE, LEDGER_TABLE, LOCAL_NAMES } from '../../infra/definitions';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { systemClock, type Clock } from '../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { captureEmf } from '../alarms/captureEmf';
import type { EmfDocumentError } from '../alarms/errors';
import { MetricStore } from '../alarms/MetricStore';
import { localClients } from '../aws';
import { DataDirUnusableError, EmulatorStateUnreadableError, startDynalite, startS3rver, unreadableDataDirAdvice, type RunningEmulator } from '../emulators';
import { startFaultProxy, type FaultProxy, type FaultSpec } from '../faults';
import { lockDirectory, type DirectoryLock } from '../emulators/lockDirectory';
import { ensureBucket, ensureTable } from './ensureResources';
import { releaseLeasesOfGoneProcesses, type ReleasedRunLeases } from './releaseLeasesOfGoneProcesses';

/** Emulators, tables and buckets of one local run, and the deps its handlers use. */
export interface LocalEnvironment {
  readonly clients: AwsClients;
  readonly deps: Deps;
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  /** The fault proxy the handlers' DynamoDB requests go through (`faults` given); switch its faults with setFaults/clearFaults. */
  readonly faultProxy?: FaultProxy;
  /** Batch leases of earlier, dead processes on this data dir that were taken over at start. */
  readonly releasedLeases: readonly ReleasedRunLeases[];
  /** The EMF the handlers on `deps` emitted (captured, never printed): what the local alarms evaluate. */
  readonly metrics: MetricStore;
  close(): Promise<void>;
}

export interface LocalEnvironmentOptions {
  /** Keep emulator state here (dynamodb/ and s3/ below it). @default - in memory / a temp dir, discarded */
  readonly dataDir?: string;
  readonly codeVersion: string;
  readonly clock?: Clock;
  /**
   * Take over, at start, the batch leases that earlier processes on this data dir still hold (they
   * are gone: this process holds the data dir's lock). Off for read-only commands such as --dump.
   * @default true
   */
  readonly takeOverLeases?: boolean;
  /** Ports on 127.0.0.1 for the emulators. @default - ephemeral ports */
  readonly ports?: { readonly dynamodb?: number; readonly s3?: number };
  /** An EMF document a handler flushed that CloudWatch would not ingest (dropped). @default - a line on stderr */
  readonly onDroppedMetrics?: (error: EmfDocumentError) => void;
  /**
   * Send the handlers' DynamoDB requests (`deps.clients`) through a fault proxy on an ephemeral port
   * that injects these faults into the requests naming a target table (never the ledger);
   * `clients` stay direct (seeding, set-up). @default - no proxy: the handlers talk to the emulator
   */
  readonly faults?: FaultSpec;
}

/** Creates an emulator's folder in the data dir; something else at its path makes the data dir unusable. */
function makeEmulatorFolder(dataDir: string, path: string): void {
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataDirUnusableError(dataDir, (error as Error).message, { cause: error });
  }
  if (isDirectory === false) {
    throw new DataDirUnusableError(dataDir, `${path} is a file, not the folder the emulators keep their state in`, { advice: unreadableDataDirAdvice(dataDir) });
  }
  try {
    if (isDirectory === undefined) mkdirSync(path);
  } catch (error) {
    throw new DataDirUnusableError(dataDir, (error as Error).message, { cause: error });
  }
}

/** Runs an emulator's start; with a data dir, its state that cannot be read is a DataDirUnusableError. */
async function inDataDir<T>(dataDir: string | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (dataDir === undefined || !(error instanceof EmulatorStateUnreadableError)) throw error;
    throw new DataDirUnusableError(dataDir, error.message, { cause: error, advice: unreadableDataDirAdvice(dataDir) });
  }
}

/**
 * Starts dynalite and s3rver on loopback and creates the ledger, the demo target table and the
 * buckets from the same definitions the stack deploys; the handlers on its deps flush their EMF
 * into `metrics` (captured, never printed). With a data dir, first takes its lock (so one
 * process at a time uses it; see lockDirectory), and then expires the leases that dead earlier
 * processes left on their batches, so a resume takes those batches over at once.
 * @throws DataDirLockedError when another process uses the data dir
 * @throws DataDirUnusableError when the data dir cannot be created or written, or its kept state cannot be read
 * @throws PortInUseError when a port given in `ports` is taken
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  const opened: Array<{ close(): Promise<void> }> = [];
  const closeAll = async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close().catch(() => undefined);
  };
  try {
    let dynamoPath: string | undefined;
    let s3Path: string | undefined;
    if (options.dataDir) {
      const lock: DirectoryLock = await lockDirectory(options.dataDir);
      opened.push({ close: () => lock.release() });
      dynamoPath = join(options.dataDir, 'dynamodb');
      s3Path = join(options.dataDir, 's3');
      makeEmulatorFolder(options.dataDir, dynamoPath);
      makeEmulatorFolder(options.dataDir, s3Path);
    }
    const dynamo: RunningEmulator = await inDataDir(options.dataDir, () => startDynalite({ path: dynamoPath, port: options.ports?.dynamodb }));
    opened.push(dynamo);
    const s3: RunningEmulator = await inDataDir(options.dataDir, () => startS3rver({ directory: s3Path, port: options.ports?.s3, anyAccessKey: true }));
    opened.push(s3);
    const clients = localClients({ dynamodbEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint });
    opened.push({
      close: async () => {
        clients.ddb.destroy();
        clients.s3.destroy();
      },
    });
    await ensureTable(clients.ddb, LOCAL_NAMES.ledgerTable, LEDGER_TABLE);
    await ensureTable(clients.ddb, LOCAL_NAMES.demoTargetTable, DEMO_TARGET_TABLE);
    await ensureBucket(clients.s3, LOCAL_NAMES.artifactsBucket);
    await ensureBucket(clients.s3, LOCAL_NAMES.sourceBucket);
    const metrics = new MetricStore();
    const faultProxy = options.faults ? await startFaultProxy({ upstream: dynamo.endpoint, sparedTables: [LOCAL_NAMES.ledgerTable], faults: options.faults }) : undefined;
    let handlerClients = clients;
    if (faultProxy) {
      const proxied = localClients({ dynamodbEndpoint: faultProxy.endpoint, s3Endpoint: s3.endpoint });
      proxied.s3.destroy();
      handlerClients = { ddb: proxied.ddb, s3: clients.s3 };
      // Closed before the emulator it forwards to (closeAll runs in reverse).
      opened.push({
        close: async () => {
          handlerClients.ddb.destroy();
          await faultProxy.close();
        },
      });
    }
    const deps: Deps = {
      clients: handlerClients,
      ledgerTable: LOCAL_NAMES.ledgerTable,
      artifactsBucket: LOCAL_NAMES.artifactsBucket,
      clock: options.clock ?? systemClock,
      codeVersion: options.codeVersion,
      // What Lambda would print for CloudWatch Logs goes to the local alarms instead.
      metricsSink: captureEmf(metrics, options.onDroppedMetrics ?? ((error) => void (process.stderr.destroyed || process.stderr.write(`${error.message}\n`)))),
    };
    const releasedLeases = options.dataDir && options.takeOverLeases !== false ? await releaseLeasesOfGoneProcesses(deps) : [];
    return {
      clients,
      dynamodbEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      ...(faultProxy ? { faultProxy } : {}),
      deps,
      releasedLeases,
      metrics,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
