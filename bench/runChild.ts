import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, JobResult } from './jobs';

const CHILD = join(__dirname, 'child', 'main.ts');

/**
 * Runs one job in a fresh Node process (the same node, `--import tsx`) and returns its result.
 * @throws Error with the child's stderr when it fails.
 */
export async function runChild<R extends JobResult>(job: Job, extraNodeArgs: readonly string[] = []): Promise<R> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-job-'));
  const jobFile = join(dir, 'job.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(jobFile, JSON.stringify(job));
  try {
    const stderr: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', ...extraNodeArgs, '--import', 'tsx', CHILD, jobFile, resultFile], { stdio: ['ignore', 'inherit', 'pipe'], env: process.env });
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new Error(`bench job ${job.kind} failed (exit ${code}): ${stderr.join('').trim()}`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as R;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
