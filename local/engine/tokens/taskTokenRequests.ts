/** The SendTask* requests as the Step Functions API shapes and limits them. */
import { z } from 'zod';
import { InvalidOutputError, InvalidTokenError, TaskTokenValidationError } from './errors';

// AWS limits (SFN API reference): output 262,144 UTF-8 bytes, error 256 and cause 32,768 characters, token up to 2,048.
const MAX_OUTPUT_BYTES = 262_144;
export const TOKEN_PREFIX = 'LT1';
// 48 bytes (128 random bits, the issue time, a 192-bit MAC; see signedTokens), base64url: 64 characters.
const TOKEN_PATTERN = /^LT1[A-Za-z0-9_-]{64}$/;
const TaskTokenSchema = z.string().min(1).max(2048);
export const SuccessSchema = z.object({ taskToken: TaskTokenSchema, output: z.string() });
export const FailureSchema = z.object({ taskToken: TaskTokenSchema, error: z.string().max(256).optional(), cause: z.string().max(32_768).optional() });
export const HeartbeatSchema = z.object({ taskToken: TaskTokenSchema });

/** The request in the API's shape, or ValidationException naming each field AWS would refuse. */
export function parseRequest<T>(schema: z.ZodType<T>, input: unknown, operation: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ');
  throw new TaskTokenValidationError(`${operation} request is not valid: ${problems}`);
}

/** InvalidToken unless the token has the form this service issues. */
export function checkTokenForm(token: string): string {
  if (!TOKEN_PATTERN.test(token)) throw new InvalidTokenError(token, `expected ${TOKEN_PREFIX} followed by 64 base64url characters, got ${token.length} characters`);
  return token;
}

/** SendTaskSuccess `output` parsed, or InvalidOutput (not JSON, too large). */
export function parseOutput(output: string): unknown {
  const bytes = Buffer.byteLength(output, 'utf8');
  if (bytes > MAX_OUTPUT_BYTES) throw new InvalidOutputError(`${bytes} UTF-8 bytes is over the limit`);
  try {
    return JSON.parse(output) as unknown;
  } catch (error) {
    throw new InvalidOutputError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
