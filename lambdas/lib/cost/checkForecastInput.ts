import { InvalidForecastInputError } from './errors';
import type { ForecastInput, UsageItem } from './forecastTypes';

export const USAGE_ITEMS: readonly UsageItem[] = [
  'dynamodbReadUnits',
  'dynamodbWriteUnits',
  's3Gets',
  's3Puts',
  'lambdaGbSeconds',
  'lambdaRequests',
  'stateTransitions',
  'expressRequests',
  'expressGbSeconds',
];

function requireAmount(field: string, value: unknown, count: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidForecastInputError(field, value, count ? 'a non-negative integer' : 'a finite number ≥ 0');
  }
  if (count && !Number.isInteger(value)) throw new InvalidForecastInputError(field, value, 'a non-negative integer');
}

/**
 * Throws {@link InvalidForecastInputError} naming the first unusable number: counts (batches,
 * records) must be non-negative integers, times and usage finite and ≥ 0.
 *
 * @example
 * checkForecastInput({ stage: { batches: 1, records: -5, elapsedMs: 10, usage }, remaining: { batches: 9, records: 90 } });
 * // throws: stage.records must be a non-negative integer, got -5; …
 */
export function checkForecastInput(input: ForecastInput): void {
  requireAmount('stage.batches', input.stage.batches, true);
  requireAmount('stage.records', input.stage.records, true);
  requireAmount('stage.elapsedMs', input.stage.elapsedMs, false);
  for (const item of USAGE_ITEMS) requireAmount(`stage.usage.${item}`, input.stage.usage[item], false);
  requireAmount('remaining.batches', input.remaining.batches, true);
  requireAmount('remaining.records', input.remaining.records, true);
}
