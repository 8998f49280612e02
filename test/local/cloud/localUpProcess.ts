import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readEndpointsFile } from '../../../local/cloud/endpointsFile';
import type { EndpointsFile } from '../../../local/cloud/endpoints';
import { waitFor } from '../../support';

const REPO = join(__dirname, '..', '..', '..');

export interface LocalUpResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface LocalUpProcess {
  readonly child: ChildProcess;
  readonly done: Promise<LocalUpResult>;
  stderrSoFar(): string;
}

/** Starts `local up ARGS` as its own process (node 22 + tsx, as `npx backfill local up` runs). */
export function startLocalUp(args: readonly string[]): LocalUpProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'local', 'cloud', 'main.ts'), 'up', ...args], {
    cwd: REPO,
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<LocalUpResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

/** Waits until `process` serves `dataDir` (its own endpoints.json is there); fails at once if it ends first. */
export async function endpointsOf(process: LocalUpProcess, dataDir: string, timeoutMs = 120_000): Promise<EndpointsFile> {
  let ended: LocalUpResult | undefined;
  void process.done.then((result) => (ended = result));
  return waitFor(
    async () => {
      if (ended) throw new Error(`local up ended (${ended.signal ?? `exit ${ended.code}`}) before serving:\n${ended.stderr}`);
      const endpoints = await readEndpointsFile(dataDir).catch(() => undefined);
      return endpoints?.pid === process.child.pid && endpoints;
    },
    { describe: `local up to write ${dataDir}/endpoints.json`, timeoutMs, intervalMs: 100 },
  );
}
