import type { z } from 'zod';
import { ValidationError } from '../errors';

/**
 * Parses a request body with the operation's schema; a missing or bad field is a
 * ValidationException naming every problem and the value seen.
 * @example
 *   const request = parseRequest('DescribeExecution', DescribeExecutionSchema, body);
 */
export function parseRequest<T>(operation: string, schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const value = issue.path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), body);
    const seen = value === undefined ? 'missing' : `got ${JSON.stringify(value)?.slice(0, 80)}`;
    return `${issue.path.join('.') || 'request'}: ${issue.message} (${seen})`;
  });
  throw new ValidationError(`${problems.length} validation error${problems.length === 1 ? '' : 's'} in the ${operation} request: ${problems.join('; ')}`);
}

/**
 * Epoch milliseconds as the API's timestamps: epoch seconds (a number, fractions allowed).
 * @example
 *   epochSeconds(1_796_124_018_086) // 1796124018.086
 */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
