import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../../support';
import { FREEZE_AT_ENV, FROZEN_MARKER, type FreezePoint } from './freezeHook';

export const REPO = join(__dirname, '..', '..', '..');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StartCliOptions {
  /** Freeze the process at this point (see freezeHook.ts); wait for it with {@link killWhenFrozen}. */
  readonly freezeAt?: FreezePoint;
  /** Variables added to the child's environment (e.g. TMPDIR). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface StartedCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  stderrSoFar(): string;
}

/** Starts `npm start -- ARGS` the way npm does (node 22 + tsx), without npm's own startup. */
export function startCli(args: readonly string[], options: StartCliOptions = {}): StartedCli {
  const hook = options.freezeAt ? ['--import', join(__dirname, 'freezeHook.ts')] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...hook, join(REPO, 'local', 'cli', 'main.ts'), ...args], {
    cwd: REPO,
    env: {
      ...process.env,
      NODE_OPTIONS: '--openssl-legacy-provider',
      ...(options.freezeAt ? { [FREEZE_AT_ENV]: JSON.stringify(options.freezeAt) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

export async function runCli(args: readonly string[], options: StartCliOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Polls until `predicate` holds; fails with `what` at the deadline, or at once when the process ends first. */
export async function waitUntil(predicate: () => boolean, what: string, ended: Promise<unknown>, timeoutMs = 120_000): Promise<void> {
  let finished = false;
  void ended.then(() => (finished = true));
  await waitFor(
    () => {
      if (predicate()) return true;
      if (finished) throw new Error(`process ended before: ${what}`);
      return false;
    },
    { describe: what, timeoutMs },
  );
}

/**
 * Waits until a CLI started with `freezeAt` has frozen there, then SIGKILLs it: the kill lands at
 * that point and nowhere else. Resolves with the killed process's result.
 */
export async function killWhenFrozen(cli: StartedCli, what: string): Promise<CliResult> {
  await waitUntil(() => cli.stderrSoFar().includes(FROZEN_MARKER), `the CLI to freeze ${what}`, cli.done);
  cli.child.kill('SIGKILL');
  const result = await cli.done;
  if (result.signal !== 'SIGKILL') throw new Error(`the CLI frozen ${what} ended with ${result.signal ?? `exit ${result.code}`}, not SIGKILL:\n${result.stderr}`);
  return result;
}
