import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** A process that ended: how, what it wrote, and its wall time from spawn to close. */
export interface FinishedProcess {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
}

/** A process still running, with what it wrote so far. */
export interface RunningProcess {
  readonly child: ChildProcess;
  readonly done: Promise<FinishedProcess>;
  stderrSoFar(): string;
}

/**
 * Every process the operator bench spawns (local up, the CLI commands, npm start), so that none
 * outlives the bench: `killAll` on a signal and in the bench's `finally`.
 * @example
 *   const processes = new ChildProcesses(REPO_ROOT);
 *   const status = await processes.run('bin/backfill', ['--local', dir, 'status', runId]); // status.wallMs
 */
export class ChildProcesses {
  private readonly live = new Map<ChildProcess, Promise<FinishedProcess>>();

  constructor(private readonly cwd: string) {}

  /** Starts `command ARGS` in the repo (stdin closed, stdout and stderr collected). */
  spawn(command: string, args: readonly string[]): RunningProcess {
    const started = performance.now();
    const child = spawn(command, [...args], { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const done = new Promise<FinishedProcess>((resolve) => {
      child.once('error', (error) => {
        this.live.delete(child);
        resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}`, wallMs: performance.now() - started });
      });
      child.once('close', (code, signal) => {
        this.live.delete(child);
        resolve({ code, signal, stdout, stderr, wallMs: performance.now() - started });
      });
    });
    this.live.set(child, done);
    return { child, done, stderrSoFar: () => stderr };
  }

  /** Runs `command ARGS` to its end. */
  run(command: string, args: readonly string[]): Promise<FinishedProcess> {
    return this.spawn(command, args).done;
  }

  /** Runs `command ARGS` to its end. @throws Error with its stderr unless it exits 0. */
  async runOk(command: string, args: readonly string[]): Promise<FinishedProcess> {
    const finished = await this.run(command, args);
    if (finished.code !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${finished.code ?? finished.signal}: ${finished.stderr.trim().slice(-2000)}`);
    return finished;
  }

  /** Kills every process still running (a bench that stops leaves none behind). */
  killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const child of this.live.keys()) child.kill(signal);
  }

  /** Kills every process still running and waits until each has exited (before its data dir is removed). */
  async killAllAndWait(): Promise<void> {
    const running = [...this.live.values()];
    this.killAll();
    await Promise.all(running);
  }
}
