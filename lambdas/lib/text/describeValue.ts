/**
 * A value as an error message shows it: JSON where it has one, `nothing` for undefined.
 * @example
 *   `maxSamples must be 0–1000, got ${describeValue(-1)}` // "... got -1"
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
