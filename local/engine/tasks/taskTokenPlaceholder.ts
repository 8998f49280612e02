import { UnsupportedDefinitionError } from '../errors';

const TASK_TOKEN_PATH = '$$.Task.Token';
// Stands in for the token while aws-local-stepfunctions resolves Parameters: the package has no
// $$.Task, and the token is only made when the attempt starts (one per attempt).
const PLACEHOLDER = '\u0000local-engine:task-token\u0000';

/**
 * Replaces every `"field.$": "$$.Task.Token"` of a Parameters template by a placeholder value that
 * {@link insertTaskToken} later swaps for the attempt's token. Any other use of `$$.Task` (an
 * intrinsic function over it, `$$.Task` itself) is refused rather than resolved wrongly.
 */
export function withTaskTokenPlaceholder(template: unknown, statePath: string): unknown {
  if (Array.isArray(template)) return template.map((value) => withTaskTokenPlaceholder(value, statePath));
  if (template === null || typeof template !== 'object') return template;
  const replaced: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && value === TASK_TOKEN_PATH) {
      replaced[key.slice(0, -2)] = PLACEHOLDER;
    } else if (key.endsWith('.$') && typeof value === 'string' && value.includes('$$.Task')) {
      throw new UnsupportedDefinitionError(statePath, `${key} uses ${value}: the local engine resolves $$.Task.Token only as a whole value ("${key}": "${TASK_TOKEN_PATH}")`);
    } else {
      replaced[key] = withTaskTokenPlaceholder(value, statePath);
    }
  }
  return replaced;
}

/** The resolved Parameters with the attempt's token where the template had `$$.Task.Token`. */
export function insertTaskToken(resolved: unknown, token: string): unknown {
  if (resolved === PLACEHOLDER) return token;
  if (Array.isArray(resolved)) return resolved.map((value) => insertTaskToken(value, token));
  if (resolved === null || typeof resolved !== 'object') return resolved;
  return Object.fromEntries(Object.entries(resolved).map(([key, value]) => [key, insertTaskToken(value, token)]));
}
