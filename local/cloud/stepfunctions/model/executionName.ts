import { InvalidNameError } from '../errors';

const MAX_NAME_LENGTH = 80;
// AWS: no whitespace, brackets < > { } [ ], wildcards ? *, special characters " # % \ ^ | ~ ` $ & , ; : /, control characters.
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

/**
 * Checks an execution name against the rules of StartExecution, or throws InvalidName naming the
 * first problem.
 * @example
 *   checkExecutionName('orders-fix-1'); // 'orders-fix-1'
 *   checkExecutionName('a b');          // throws InvalidNameError: contains " " at position 1
 */
export function checkExecutionName(name: string): string {
  const length = [...name].length;
  if (length === 0) throw new InvalidNameError(name, 'is empty');
  if (length > MAX_NAME_LENGTH) throw new InvalidNameError(name, `is ${length} characters long, over ${MAX_NAME_LENGTH}`);
  const match = FORBIDDEN.exec(name);
  if (match) throw new InvalidNameError(name, `contains ${JSON.stringify(match[0])} at position ${match.index}`);
  return name;
}
