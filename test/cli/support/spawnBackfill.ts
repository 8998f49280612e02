import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './cliHarness';

export interface SpawnedResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnedBackfill {
  readonly child: ChildProcess;
  readonly done: Promise<SpawnedResult>;
  stdoutSoFar(): string;
}

/** Starts `bin/backfill ARGS` in a process of its own, as an operator's terminal would. */
export function spawnBackfill(args: readonly string[]): SpawnedBackfill {
  const child = spawn(join(REPO, 'bin', 'backfill'), [...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<SpawnedResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stdoutSoFar: () => stdout };
}

/** Runs `bin/backfill ARGS` to its end. */
export const backfill = (...args: string[]): Promise<SpawnedResult> => spawnBackfill(args).done;
