import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's `awscli` package (.ci/run installs it); another `aws` earlier on PATH may be a different major version. */
export const AWS_CLI = '/usr/bin/aws';

export interface AwsCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs Debian's AWS CLI with dummy credentials, no config files, no pager and JSON output, so it
 * talks only to the endpoint a test passes with `--endpoint-url`.
 * @example
 *   const { stdout } = await awsCli(['stepfunctions', 'list-state-machines', '--endpoint-url', endpoints.stepfunctions, '--region', endpoints.region]);
 */
export function awsCli(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<AwsCliResult> {
  if (!existsSync(AWS_CLI)) throw new Error(`${AWS_CLI} is missing: install Debian's awscli package (apt-get install awscli), as .ci/run does`);
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      [...args, '--output', 'json', '--no-cli-pager'],
      {
        timeout: options.timeoutMs ?? 60_000,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? '/tmp',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((error as unknown as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
