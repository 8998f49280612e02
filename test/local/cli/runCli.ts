import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `npm start -- ARGS` the way npm does (node 22 + tsx), without npm's own startup; `env` adds variables (e.g. TMPDIR). */
export function startCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): { child: ChildProcess; done: Promise<CliResult>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'local', 'cli', 'main.ts'), ...args], {
    cwd: REPO,
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

export async function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Polls until `predicate` holds; fails with `what` at the deadline or when the process ends first. */
export async function waitUntil(predicate: () => boolean, what: string, ended: Promise<unknown>, timeoutMs = 120_000): Promise<void> {
  let finished = false;
  void ended.then(() => (finished = true));
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (finished) throw new Error(`process ended before: ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
