import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_NAMES } from '../../../infra/definitions';
import { LOCAL_ACCOUNT, LOCAL_REGION, stateMachineArn } from '../../../local/engine/arns';
import { ENDPOINTS_FILE, type EndpointsFile } from '../../../local/cloud/endpoints';
import type { CliIo } from '../../../cli/CliIo';
import { main } from '../../../cli/main';
import type { ClientConfigOverrides } from '../../../cli/target';

export const REPO = join(__dirname, '..', '..', '..');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  readonly cwd?: string;
  readonly clientOverrides?: ClientConfigOverrides;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
  readonly runMarkedDeadlineMs?: number;
  readonly isTty?: boolean;
  /** Where a live bar draws. @default process.stderr */
  readonly progressStream?: NodeJS.WritableStream;
  /** Called with each stderr line as it is written (to act while `watch` runs). */
  readonly onErr?: (line: string) => void;
}

/** Runs `backfill ARGV` in this process with captured output. */
export async function runBackfill(argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => void out.push(text),
    err: (text) => {
      err.push(text);
      options.onErr?.(text);
    },
    isTty: options.isTty ?? false,
    progressStream: options.progressStream ?? process.stderr,
    cwd: options.cwd ?? REPO,
    signal: options.signal,
    pollMs: options.pollMs ?? 50,
    runMarkedDeadlineMs: options.runMarkedDeadlineMs,
    clientOverrides: options.clientOverrides,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/**
 * A data dir whose endpoints.json names these endpoints and this process, as `local up` writes it:
 * the CLI's `--local DIR` then talks to them.
 */
export function localCloudDir(endpoints: { dynamodb: string; s3: string; stepfunctions: string }, pid = process.pid): string {
  const dir = mkdtempSync(join(tmpdir(), 'backfill-cli-'));
  const file: EndpointsFile = {
    ...endpoints,
    region: LOCAL_REGION,
    account: LOCAL_ACCOUNT,
    resources: {
      backfillStateMachineArn: stateMachineArn('Backfill'),
      rollbackStateMachineArn: stateMachineArn('Rollback'),
      ledgerTable: LOCAL_NAMES.ledgerTable,
      artifactsBucket: LOCAL_NAMES.artifactsBucket,
      sourceBucket: LOCAL_NAMES.sourceBucket,
    },
    pid,
  };
  writeFileSync(join(dir, ENDPOINTS_FILE), JSON.stringify(file));
  return dir;
}
