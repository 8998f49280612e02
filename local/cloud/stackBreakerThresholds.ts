import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { resolveBreakerThresholds, type BreakerThresholds } from '../../lambdas/lib/health';
import { breakerThresholdOverridesFrom } from '../../infra/config';
import { BackfillConfigError } from '../../infra/errors';
import { REPO_ROOT } from '../../infra/paths';

/** The stack's own config file: the local cloud evaluates the alarms `cdk deploy` would create from it. */
export const STACK_CONFIG_FILE = join(REPO_ROOT, 'cdk.json');

const CdkJsonSchema = z.object({ context: z.record(z.string(), z.unknown()).optional() });

/**
 * The breaker thresholds the stack's alarms get from `file`'s context `breakerThresholds` (over the
 * documented defaults), checked as `cdk synth` checks them. No file: the defaults.
 * @throws BackfillConfigError when the file is not JSON with an object `context`, or a threshold is invalid (every bad field named)
 * @example
 *   startBreakerAlarms({ deps, store, thresholds: stackBreakerThresholds() });
 */
export function stackBreakerThresholds(file: string = STACK_CONFIG_FILE): BreakerThresholds {
  if (!existsSync(file)) return resolveBreakerThresholds({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new BackfillConfigError('breakerThresholds', `cannot be read: ${file} is not valid JSON (${(cause as Error).message})`, { cause });
  }
  const config = CdkJsonSchema.safeParse(parsed);
  if (!config.success) throw new BackfillConfigError('breakerThresholds', `cannot be read: ${file} must be a JSON object whose "context" is an object`);
  return resolveBreakerThresholds(breakerThresholdOverridesFrom(config.data.context?.breakerThresholds));
}
