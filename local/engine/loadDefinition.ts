import { readFileSync } from 'node:fs';
import { MissingPlaceholderError } from './errors';
import type { AslDefinition } from './types';

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/**
 * Reads an ASL file and replaces every `${Name}` placeholder, the way CDK's
 * `definitionSubstitutions` does, then parses it.
 *
 * Values are inserted into the JSON text as they are, like CloudFormation does, so they must not
 * contain `"` or `\`. Throws {@link MissingPlaceholderError} naming every placeholder without a value.
 *
 * @example
 *   const definition = loadDefinition('statemachines/backfill.asl.json', {
 *     WorkerFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:worker',
 *     // ... every other ${Name} used in the file
 *   });
 */
export function loadDefinition(path: string, substitutions: Readonly<Record<string, string>>): AslDefinition {
  return JSON.parse(loadDefinitionText(path, substitutions)) as AslDefinition;
}

/**
 * The text {@link loadDefinition} parses: the ASL file with every placeholder replaced, as a
 * deployed state machine's DescribeStateMachine returns it.
 * @example
 *   const text = loadDefinitionText('statemachines/rollback.asl.json', substitutions);
 */
export function loadDefinitionText(path: string, substitutions: Readonly<Record<string, string>>): string {
  const text = readFileSync(path, 'utf8');
  const missing = new Set<string>();
  const substituted = text.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = Object.hasOwn(substitutions, name) ? substitutions[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return placeholder;
    }
    return value;
  });
  if (missing.size > 0) throw new MissingPlaceholderError(path, [...missing].sort());
  return substituted;
}
