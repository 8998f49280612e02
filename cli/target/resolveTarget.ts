import { resolve } from 'node:path';
import { UsageError } from '../errors';
import { DEFAULT_LOCAL_DATA_DIR, localTarget } from './localTarget';
import { stackTarget } from './stackTarget';
import type { ClientConfigOverrides, Target, TargetOptions } from './Target';

/**
 * The target the command line names: `--local [DIR]` (default `.backfill-local`) or `--stack NAME`
 * (with `--region`, `--profile`, else the SDK's defaults).
 * @throws UsageError when neither or both are given, or --region/--profile come with --local
 * @example
 *   const target = await resolveTarget({ local: true }); // reads .backfill-local/endpoints.json
 */
export async function resolveTarget(options: TargetOptions, context: { cwd?: string; overrides?: ClientConfigOverrides } = {}): Promise<Target> {
  if (options.local !== undefined && options.stack !== undefined) throw new UsageError('give --local [DIR] or --stack NAME, not both');
  if (options.local !== undefined) {
    if (options.region !== undefined || options.profile !== undefined) {
      throw new UsageError('--region and --profile apply to --stack; the local cloud has its own region (in its endpoints.json): drop them');
    }
    const dir = options.local === true ? DEFAULT_LOCAL_DATA_DIR : options.local;
    return localTarget(dir, resolve(context.cwd ?? '.', dir));
  }
  if (options.stack !== undefined) return stackTarget({ stack: options.stack, region: options.region, profile: options.profile, overrides: context.overrides });
  throw new UsageError('say where to act: --local [DIR] (a `backfill local up` on this machine, default .backfill-local) or --stack NAME (a deployed stack; with --region, --profile)');
}
