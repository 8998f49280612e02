import { describeReleasedLeases } from '../cli/leaseNotices';
import { approvalMessageLine } from '../approvals/approvalMessageLine';
import { alarmStateLine } from '../alarms/alarmStateChangeEvent';
import { operationsMessageLine } from '../alarms/operationsOutbox';
import type { FaultSpec } from '../faults';
import { describeLocalCloud } from './describeLocalCloud';
import { startLocalCloud } from './startLocalCloud';

export interface LocalUpOptions {
  /** Where every service keeps its state; created if missing. */
  readonly dataDir: string;
  /** Step Functions on it, DynamoDB on +1, S3 on +2; 0 for three ephemeral ports. */
  readonly port: number;
  /** Seed the demo dataset into a new data dir. */
  readonly demo: boolean;
  /** `--inject-faults`: faults for the handlers' target-table requests (see startFaultProxy). @default - none */
  readonly faults?: FaultSpec;
}

/** Where `local up` writes: what it serves to stdout, notes to stderr. */
export interface LocalUpIo {
  out(text: string): void;
  info(text: string): void;
  readonly codeVersion: string;
}

/** How long a shutdown lets the handler calls in flight finish before it abandons them (as a crash would). */
const DRAIN_MS = 5_000;

/**
 * `backfill local up`: starts the local cloud on the data dir, prints its endpoints and how to use
 * them, and serves until SIGINT or SIGTERM; then closes cleanly (the handler calls in flight get
 * up to 5 s, the emulators close, the lock is released, endpoints.json is removed) and resolves 0.
 * A second signal during that shutdown exits at once with 130; the data dir stays usable, as after
 * a kill -9: the next `local up` takes the leases over and starts RUNNING executions again.
 * @throws DataDirLockedError when another process (another `local up`) uses the data dir
 * @throws PortInUseError naming the port when one of the three is taken
 * @throws DataDirUnusableError when the data dir cannot be used
 * @example
 *   process.exitCode = await runLocalUp({ dataDir: '.backfill-local', port: 4570, demo: true }, io);
 */
export async function runLocalUp(options: LocalUpOptions, io: LocalUpIo): Promise<number> {
  // Handlers log JSON in Lambda; in a terminal that would drown what this prints (their EMF is captured for the local alarms).
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const stop = stopSignals(() => {
    io.info(`stopped at once; the next \`local up\` on ${options.dataDir} takes over what was in flight`);
    process.exit(130);
  });
  try {
    const cloud = await startLocalCloud({
      dataDir: options.dataDir,
      port: options.port,
      demo: options.demo ? undefined : false,
      codeVersion: io.codeVersion,
      onApprovalMessage: (message) => io.info(approvalMessageLine(message)),
      onOperationsMessage: (message) => io.info(operationsMessageLine(message)),
      onAlarmStateChange: (event) => {
        const line = alarmStateLine(event);
        if (line) io.info(line);
      },
      ...(options.faults ? { faults: options.faults } : {}),
    });
    for (const line of describeReleasedLeases(cloud.env.releasedLeases)) io.info(line);
    for (const line of describeLocalCloud(cloud, options.dataDir)) io.out(line);
    const signal = await stop.first;
    io.info(`${signal}: stopping (handler calls in flight get up to ${DRAIN_MS / 1000} s; ${signal} again stops at once)`);
    await cloud.close({ drainMs: DRAIN_MS });
    io.info(`stopped; ${options.dataDir} keeps the state for the next \`local up\``);
    return 0;
  } finally {
    stop.dispose();
  }
}

/**
 * SIGINT and SIGTERM: `first` resolves with the first one; each later one calls `again` (which
 * exits). Listening starts at once, so a signal during start-up stops the cloud as soon as it is up.
 */
function stopSignals(again: () => void): { first: Promise<NodeJS.Signals>; dispose(): void } {
  let received: NodeJS.Signals | undefined;
  let resolveFirst: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return again();
    received = signal;
    resolveFirst(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    first,
    dispose: () => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}
