import { SpecError } from '../lambdas/lib/spec';
import { CliError, EXIT } from './errors';

/** What the top-level printer says about an error, and the exit code. */
export interface DescribedError {
  readonly message: string;
  readonly exitCode: number;
}

/** Errors of the AWS SDK (and the local cloud, which answers the same way) that an operator can act on. */
const AWS_ADVICE: ReadonlyArray<{ names: readonly string[]; advice: (error: Error) => string }> = [
  {
    names: ['CredentialsProviderError'],
    advice: () => 'no AWS credentials found: give --profile NAME, set AWS_PROFILE, or sign in (`aws sso login` / `aws configure`)',
  },
  {
    names: ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError'],
    advice: (e) => `AWS refused the call: ${e.message}. Ask for the stack's operator policy (viewers can read, not start, stop or roll back), or use another --profile`,
  },
  {
    names: ['ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException'],
    advice: (e) => `AWS did not accept your credentials (${e.name}: ${e.message}); sign in again (\`aws sso login\`) or check --profile`,
  },
  {
    names: ['ResourceNotFoundException', 'StateMachineDoesNotExist', 'ExecutionDoesNotExist', 'NoSuchBucket'],
    advice: (e) => `${e.name}: ${e.message}. The target does not have what its outputs name: check --stack/--region (or --local DIR), and that the stack is deployed`,
  },
];

/** Errors of the domain modules that mean the input was wrong: said as they are, exit 2. */
const USAGE_ERROR_NAMES = new Set(['RunNotFoundError', 'InvalidSchedulesError', 'BackfillConfigError', 'SchedulerContextError', 'InvalidRollbackInputError', 'DataDirUnusableError']);

/** Errors of `local up` that mean the machine is busy (another `local up`, a taken port): said as they are, exit 3. */
const BUSY_ERROR_NAMES = new Set(['DataDirLockedError', 'PortInUseError']);

/** Network failures: nothing answers at the endpoint (a local cloud that stopped, a wrong endpoint). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * The network error's code, looked for in the causes too; also in the message, since the SDK wraps an
 * error from another realm (a test VM) as "AWS SDK error wrapper for Error: connect ECONNREFUSED ...".
 */
function connectionCode(error: unknown): string | undefined {
  for (let e = error as { code?: string; message?: string; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code && CONNECTION_CODES.has(e.code)) return e.code;
    const inMessage = [...CONNECTION_CODES].find((code) => typeof e!.message === 'string' && new RegExp(`\\b${code}\\b`).test(e!.message));
    if (inMessage) return inMessage;
    const inner = e.errors?.find((x) => CONNECTION_CODES.has((x as { code?: string }).code ?? ''));
    if (inner) return (inner as { code: string }).code;
  }
  return undefined;
}

/**
 * One line (or a few, for a spec's problems) saying what went wrong and what to do, and the exit code.
 * @example
 *   describeError(new StackNotFoundError('Backfill', 'eu-west-1')).exitCode; // 3
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof SpecError) return { message: error.message, exitCode: EXIT.usage };
  const e = error instanceof Error ? error : new Error(String(error));
  if (USAGE_ERROR_NAMES.has(e.name)) return { message: e.message, exitCode: EXIT.usage };
  if (BUSY_ERROR_NAMES.has(e.name)) return { message: e.message, exitCode: EXIT.target };
  const code = connectionCode(error);
  if (code) return { message: `nothing answers at the target's endpoint (${code}): is \`backfill local up\` still running? Start it again, or check --local DIR / --stack`, exitCode: EXIT.target };
  if (/Region is missing/i.test(e.message)) return { message: 'no AWS region: give --region REGION or set AWS_REGION (or a region in your --profile)', exitCode: EXIT.usage };
  const known = AWS_ADVICE.find((entry) => entry.names.includes(e.name));
  if (known) return { message: known.advice(e), exitCode: EXIT.target };
  const cause = e.cause instanceof Error ? `\n  caused by: ${e.cause.name}: ${e.cause.message}` : '';
  return { message: `${e.name}: ${e.message}${cause}`, exitCode: EXIT.target };
}
