/**
 * What is wrong with `timeZone` as a schedule's time zone (an IANA name, as Scheduler takes it),
 * or undefined. Node's ICU knows the same database; it also accepts any letter case, which
 * Scheduler does not, so a name in the wrong case is refused with the right spelling.
 *
 * @example
 *   timeZoneProblem('Europe/Berlin'); // undefined
 *   timeZoneProblem('europe/berlin'); // 'must be spelled "Europe/Berlin", got "europe/berlin"'
 */
export function timeZoneProblem(timeZone: string): string | undefined {
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return `must be an IANA time zone such as "Europe/Berlin" or "UTC", got ${JSON.stringify(timeZone)}`;
  }
  if (resolved !== timeZone && resolved.toLowerCase() === timeZone.toLowerCase()) return `must be spelled ${JSON.stringify(resolved)}, got ${JSON.stringify(timeZone)}`;
  return undefined;
}
