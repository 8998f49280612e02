/** Step Functions execution names: 1–80 of these characters. */
const NAME_CHARS = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_NAME = 80;

/**
 * The default run id and execution name of a spec: its job name and the first 12 hex of its hash, so
 * the same spec started twice is the same run (as `npm start` names it).
 * @example
 *   defaultExecutionName('orders-fix-rounding', 'edc284f25c1d9a…'); // 'orders-fix-rounding-edc284f25c1d'
 */
export function defaultExecutionName(jobName: string, specHash: string): string {
  const suffix = `-${specHash.slice(0, 12)}`;
  return `${jobName.slice(0, MAX_NAME - suffix.length)}${suffix}`;
}

/**
 * A name made of the run id and a suffix, the run id cut so that the whole fits 80 characters.
 * @example
 *   derivedExecutionName('orders-fix-1', 'r2'); // 'orders-fix-1-r2'
 */
export function derivedExecutionName(runId: string, suffix: string): string {
  return `${runId.slice(0, MAX_NAME - suffix.length - 1)}-${suffix}`;
}

/**
 * Whether Step Functions takes `name` as an execution name (the CLI's stricter subset: the runId rule).
 * @example
 *   isExecutionName('a:b'); // false
 */
export function isExecutionName(name: string): boolean {
  return NAME_CHARS.test(name);
}
