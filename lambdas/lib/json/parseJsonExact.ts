import { InexactNumberError } from './errors';

/**
 * JSON.parse, refusing whole numbers beyond 2^53-1: JSON.parse rounds them silently
 * (9007199254740993 becomes 9007199254740992), so versions would compare equal that are not.
 * The error quotes the digits as written (the reviver's source text, Node >= 21).
 * @throws SyntaxError as JSON.parse; InexactNumberError naming the member and its digits.
 * @example
 *   parseJsonExact('{"version":9007199254740993}'); // throws "version 9007199254740993 exceeds 2^53-1, cannot be compared exactly"
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, function revive(this: unknown, key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new InexactNumberError(Array.isArray(this) ? `[${key}]` : key || '(record)', context?.source ?? String(value));
    }
    return value;
  });
}
