import { JSONPath } from 'jsonpath-plus';
import { UnsupportedDefinitionError, statesRuntimeError } from './errors';

/** The context object (`$$`) a path may read. */
export type ContextObject = Readonly<Record<string, unknown>>;

/**
 * Evaluates an ASL path against the state input (`$...`) or the context object (`$$...`), with the
 * same library and call aws-local-stepfunctions uses, so both engines read paths alike.
 * A path that matches nothing is a `States.Runtime` error, as on AWS.
 */
export function queryPath(path: string, input: unknown, context: ContextObject, field: string): unknown {
  const onContext = path.startsWith('$$');
  const value: unknown = JSONPath({
    path: onContext ? path.slice(1) : path,
    json: (onContext ? context : input) as null,
    wrap: false,
  });
  if (value === undefined) {
    throw statesRuntimeError(`The JSONPath ${path} specified for the field ${field} could not be found in the ${onContext ? 'context object' : 'input'}`);
  }
  return value;
}

/**
 * Resolves a payload template (ItemSelector, BatchInput, ItemReader/ResultWriter Parameters):
 * keys ending in `.$` take the value of their path. Intrinsic functions are not evaluated in
 * these fields by the local engine; a definition using one is refused.
 */
export function resolvePayloadTemplate(template: unknown, input: unknown, context: ContextObject, stateName: string): unknown {
  if (Array.isArray(template)) return template.map((value) => resolvePayloadTemplate(value, input, context, stateName));
  if (template === null || typeof template !== 'object') return template;
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      if (!value.startsWith('$')) {
        throw new UnsupportedDefinitionError(stateName, `intrinsic function ${value} in ${key}: the local distributed-Map layer only resolves paths`);
      }
      resolved[key.slice(0, -2)] = queryPath(value, input, context, key);
    } else {
      resolved[key] = resolvePayloadTemplate(value, input, context, stateName);
    }
  }
  return resolved;
}
