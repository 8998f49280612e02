/**
 * The target options as typed, to repeat in a "what next" hint (`backfill watch r1 --local .backfill-local`).
 * @example
 *   targetFlags({ stack: 'Backfill', region: 'eu-west-1' }); // '--stack Backfill --region eu-west-1'
 */
export function targetFlags(options: Readonly<Record<string, unknown>>): string {
  const flags: string[] = [];
  if (options.local !== undefined) flags.push(options.local === true ? '--local' : `--local ${String(options.local)}`);
  for (const name of ['stack', 'region', 'profile'] as const) if (typeof options[name] === 'string') flags.push(`--${name} ${options[name] as string}`);
  return flags.join(' ');
}
